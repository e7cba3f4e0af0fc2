package dev.finops.sim;

/**
 * The cloud a simulated node pretends to run in. It decides which capacity-type labels the node gets,
 * because the operator must read each cloud's own labels (DESIGN.md §2): AWS nodes carry Karpenter's and
 * EKS's labels, GCP nodes GKE's.
 */
public enum Cloud {
    AWS("us-east-1", "us-east-1a", "us-east-1b", "us-east-1c"),
    GCP("us-central1", "us-central1-a", "us-central1-b", "us-central1-c");

    private final String region;
    private final String[] zones;

    Cloud(String region, String... zones) {
        this.region = region;
        this.zones = zones;
    }

    public String region() {
        return region;
    }

    /** A zone of the region, chosen by {@code n} modulo the zone count (spreads nodes deterministically). */
    public String zone(int n) {
        return zones[Math.floorMod(n, zones.length)];
    }
}
