package dev.finops.sim;

/**
 * How a node is bought. The same fact is spelled differently by each provisioner, so each constant knows
 * its value in Karpenter's {@code karpenter.sh/capacity-type} and EKS's {@code eks.amazonaws.com/capacityType};
 * GKE only marks spot nodes ({@code cloud.google.com/gke-spot: "true"}).
 */
public enum CapacityType {
    SPOT("spot", "SPOT"),
    ON_DEMAND("on-demand", "ON_DEMAND"),
    /** Karpenter's capacity reservations; EKS calls reserved GPU capacity a capacity block. */
    RESERVED("reserved", "CAPACITY_BLOCK");

    private final String karpenterValue;
    private final String eksValue;

    CapacityType(String karpenterValue, String eksValue) {
        this.karpenterValue = karpenterValue;
        this.eksValue = eksValue;
    }

    public String karpenterValue() {
        return karpenterValue;
    }

    public String eksValue() {
        return eksValue;
    }
}
