package dev.finops.operator.cost;

import dev.finops.operator.model.CapacityType;

/**
 * What a node costs per hour (micro-units), as billed: reserved usage at the reserved rate, blended over the
 * pool's on-demand nodes. {@code microsPerHour} is -1 when the price is unknown.
 */
public record NodeRate(String node, String instanceType, CapacityType capacityType, boolean reservedBlend,
        long microsPerHour, long onDemandMicrosPerHour, String pool) {

    public boolean known() {
        return microsPerHour >= 0;
    }
}
