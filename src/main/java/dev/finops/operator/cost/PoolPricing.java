package dev.finops.operator.cost;

import dev.finops.operator.model.LabelSelectorMatcher;
import dev.finops.operator.pricing.InstancePrice;

/**
 * What a GpuPool contributes to node prices: which nodes it selects, its price overrides (for one instance
 * type, or every node of the pool when {@code instanceType} is null) and its reservations.
 */
public record PoolPricing(String poolName, LabelSelectorMatcher nodeSelector, String instanceType,
        InstancePrice overrides, int reservedNodes) {

    public boolean overridesPriceOf(String nodeInstanceType) {
        return overrides != null && (instanceType == null || instanceType.equals(nodeInstanceType));
    }
}
