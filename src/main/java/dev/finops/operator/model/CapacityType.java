package dev.finops.operator.model;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** How a node is bought. The label values are Karpenter's, the lingua franca across clouds. */
public enum CapacityType {
    @JsonProperty("on-demand")
    ON_DEMAND("on-demand"),
    @JsonProperty("spot")
    SPOT("spot"),
    @JsonProperty("reserved")
    RESERVED("reserved");

    private final String label;

    CapacityType(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    /**
     * Reads the capacity type from the labels Karpenter, EKS managed node groups, GKE and AKS put on nodes;
     * a node with none of them is on-demand.
     */
    public static CapacityType ofNodeLabels(Map<String, String> labels) {
        if (labels == null) {
            return ON_DEMAND;
        }
        String karpenter = labels.get("karpenter.sh/capacity-type");
        if (karpenter != null) {
            return switch (karpenter.toLowerCase(Locale.ROOT)) {
                case "spot" -> SPOT;
                case "reserved" -> RESERVED;
                default -> ON_DEMAND;
            };
        }
        if ("SPOT".equalsIgnoreCase(labels.get("eks.amazonaws.com/capacityType"))
                || "true".equalsIgnoreCase(labels.get("cloud.google.com/gke-spot"))
                || "true".equalsIgnoreCase(labels.get("cloud.google.com/gke-preemptible"))
                || "spot".equalsIgnoreCase(labels.get("kubernetes.azure.com/scalesetpriority"))) {
            return SPOT;
        }
        return ON_DEMAND;
    }

    public static Optional<CapacityType> ofLabel(String label) {
        for (CapacityType type : values()) {
            if (type.label.equals(label)) {
                return Optional.of(type);
            }
        }
        return Optional.empty();
    }
}
