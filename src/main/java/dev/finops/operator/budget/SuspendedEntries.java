package dev.finops.operator.budget;

import dev.finops.operator.api.SuspendedWorkload;
import dev.finops.operator.api.SuspendedWorkloadState;
import dev.finops.operator.model.WorkloadRef;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A budget's {@code status.suspended} entries: made, and read back as workload references. Pure. */
final class SuspendedEntries {

    private SuspendedEntries() {
    }

    static SuspendedWorkload entry(WorkloadRef ref, Integer replicasBefore, Instant since,
            SuspendedWorkloadState state, String message) {
        SuspendedWorkload entry = new SuspendedWorkload();
        entry.setApiVersion(ref.apiVersion());
        entry.setKind(ref.kind());
        entry.setName(ref.name());
        entry.setReplicasBefore(replicasBefore);
        entry.setSince(since == null ? null : since.toString());
        entry.setState(state);
        entry.setMessage(message);
        return entry;
    }

    static WorkloadRef ref(String namespace, SuspendedWorkload entry) {
        return new WorkloadRef(entry.getApiVersion(), entry.getKind(), namespace, entry.getName());
    }

    /** The listed entries by workload, in their order. */
    static Map<WorkloadRef, SuspendedWorkload> byRef(String namespace, List<SuspendedWorkload> listed) {
        Map<WorkloadRef, SuspendedWorkload> byRef = new LinkedHashMap<>();
        for (SuspendedWorkload entry : listed == null ? List.<SuspendedWorkload>of() : listed) {
            byRef.put(ref(namespace, entry), entry);
        }
        return byRef;
    }

    static List<WorkloadRef> refs(String namespace, List<SuspendedWorkload> listed) {
        return List.copyOf(byRef(namespace, listed).keySet());
    }

    static int count(List<SuspendedWorkload> entries, SuspendedWorkloadState state) {
        return (int) entries.stream().filter(entry -> entry.getState() == state).count();
    }
}
