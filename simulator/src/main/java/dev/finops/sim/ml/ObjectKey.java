package dev.finops.sim.ml;

import io.fabric8.kubernetes.api.model.HasMetadata;

/** A namespaced object's name, the unit a simulated controller reconciles. */
public record ObjectKey(String namespace, String name) {

    public static ObjectKey of(HasMetadata object) {
        return new ObjectKey(object.getMetadata().getNamespace(), object.getMetadata().getName());
    }

    @Override
    public String toString() {
        return namespace + "/" + name;
    }
}
