package dev.finops.sim.ml;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import java.util.List;
import java.util.Optional;

/** Controller ownerReferences, as controller-runtime's {@code SetControllerReference} writes and reads them. */
final class Owners {

    private Owners() {
    }

    /** The reference a controller puts on what it creates: controller and blockOwnerDeletion true, the uid. */
    static OwnerReference controllerRef(HasMetadata owner) {
        return new OwnerReferenceBuilder()
                .withApiVersion(owner.getApiVersion())
                .withKind(owner.getKind())
                .withName(owner.getMetadata().getName())
                .withUid(owner.getMetadata().getUid())
                .withController(true)
                .withBlockOwnerDeletion(true)
                .build();
    }

    /** The object's controller reference, if it has one. */
    static Optional<OwnerReference> controllerOf(HasMetadata object) {
        List<OwnerReference> refs = object.getMetadata().getOwnerReferences();
        return refs == null ? Optional.empty()
                : refs.stream().filter(r -> Boolean.TRUE.equals(r.getController())).findFirst();
    }

    /** True if {@code object}'s controller is the object of that kind and uid (a name alone is not enough). */
    static boolean isControlledBy(HasMetadata object, String ownerKind, String ownerUid) {
        return controllerOf(object).filter(r -> ownerKind.equals(r.getKind()) && ownerUid.equals(r.getUid()))
                .isPresent();
    }
}
