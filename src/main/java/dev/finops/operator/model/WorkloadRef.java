package dev.finops.operator.model;

/** A top-level workload the operator may act on. */
public record WorkloadRef(String apiVersion, String kind, String namespace, String name) {

    public String describe() {
        return kind + " " + namespace + "/" + name;
    }
}
