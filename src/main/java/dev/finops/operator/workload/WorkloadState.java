package dev.finops.operator.workload;

import dev.finops.operator.model.WorkloadRef;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.Optional;

/**
 * A workload as the enforcement sees it: whether it can be stopped and how, whether it is stopped now, whether
 * it is exempt, and the restore record the operator left on it, if any. {@code uid} and {@code resourceVersion}
 * (what was read, so that a stop never acts on a workload that changed since) are null when it could not be read.
 */
public record WorkloadState(WorkloadRef ref, String uid, String resourceVersion, RestoreRecord.Mode mode,
        boolean stopped, Integer replicas,
        boolean exempt, Optional<RestoreRecord> record, String cannotStopReason, boolean restoreRequested) {

    public boolean stoppable() {
        return cannotStopReason == null;
    }

    /**
     * The workload as an Event's involved object. With its uid, so that {@code kubectl describe} (which selects
     * Events by uid) shows the Event.
     */
    public HasMetadata eventTarget() {
        return new GenericKubernetesResourceBuilder().withApiVersion(ref.apiVersion()).withKind(ref.kind())
                .withNewMetadata().withNamespace(ref.namespace()).withName(ref.name()).withUid(uid).endMetadata()
                .build();
    }
}
