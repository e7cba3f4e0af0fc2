package dev.finops.operator.workload;

import dev.finops.operator.model.WorkloadRef;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Workloads in memory, stopped and restored the way {@link WorkloadController} does it on a cluster: a record in
 * annotations, replicas to zero (or spec.suspend), a restore request cleared by every record write, a
 * resourceVersion that moves on each change and guards a stop. Every change is logged, in order.
 */
public class FakeWorkloads implements WorkloadActions {

    /** One workload as the API server would hold it. */
    public static final class Workload {
        final WorkloadRef ref;
        int replicas;
        boolean suspended;
        boolean exempt;
        final Map<String, String> annotations = new HashMap<>();
        long resourceVersion = 1;
        String cronJob;

        Workload(WorkloadRef ref) {
            this.ref = ref;
        }

        public int replicas() {
            return replicas;
        }

        public boolean suspended() {
            return suspended;
        }

        public Map<String, String> annotations() {
            return Map.copyOf(annotations);
        }

        public Optional<RestoreRecord> record() {
            return RestoreRecord.read(annotations);
        }

        boolean batch() {
            return "Job".equals(ref.kind()) || "CronJob".equals(ref.kind());
        }
    }

    private final Map<WorkloadRef, Workload> workloads = new LinkedHashMap<>();
    private final List<String> log = new ArrayList<>();
    private Integer failNextWriteWith;

    public WorkloadRef deployment(String namespace, String name, int replicas) {
        WorkloadRef ref = new WorkloadRef("apps/v1", "Deployment", namespace, name);
        workloads.put(ref, new Workload(ref));
        workloads.get(ref).replicas = replicas;
        return ref;
    }

    public WorkloadRef job(String namespace, String name, String cronJob) {
        WorkloadRef ref = new WorkloadRef("batch/v1", "Job", namespace, name);
        workloads.put(ref, new Workload(ref));
        workloads.get(ref).cronJob = cronJob;
        return ref;
    }

    public Workload get(WorkloadRef ref) {
        return workloads.get(ref);
    }

    /** A person (or a tool) scales it. */
    public void scale(WorkloadRef ref, int replicas) {
        changed(ref).replicas = replicas;
    }

    /** A person annotates it, e.g. finops.dev/restore or finops.dev/exempt. */
    public void annotate(WorkloadRef ref, String key, String value) {
        changed(ref).annotations.put(key, value);
        if (RestoreRecord.EXEMPT.equals(key)) {
            workloads.get(ref).exempt = "true".equals(value);
        }
    }

    public void delete(WorkloadRef ref) {
        workloads.remove(ref);
    }

    /** The next write fails with this HTTP code (409: changed since read, 403: forbidden). */
    public void failNextWriteWith(int code) {
        failNextWriteWith = code;
    }

    /** What was done, in order: "stop ns/name", "restore ns/name", "wake ns/name", "mark ns/name". */
    public List<String> log() {
        return List.copyOf(log);
    }

    @Override
    public Optional<WorkloadState> inspect(WorkloadRef ref) {
        Workload w = workloads.get(ref);
        if (w == null) {
            return Optional.empty();
        }
        WorkloadState.Builder state = WorkloadState.builder(ref).read("uid-" + ref.name(), "" + w.resourceVersion)
                .exempt(w.exempt).record(w.record().orElse(null))
                .restoreRequested("true".equals(w.annotations.get(RestoreRecord.RESTORE)));
        return Optional.of((w.batch() ? state.suspendable(w.suspended) : state.scalable(w.replicas)).build());
    }

    @Override
    public RestoreRecord stop(WorkloadState state, String owner, Instant now) {
        Workload read = workloads.get(state.ref());
        if (read != null && !state.resourceVersion().equals("" + read.resourceVersion)) {
            throw new KubernetesClientException("changed since read", 409, null);
        }
        Workload w = write(state.ref());
        RestoreRecord record = new RestoreRecord(owner, now, state.mode(), state.replicas(), null);
        record(w, record);
        if (w.batch()) {
            w.suspended = true;
        } else {
            w.replicas = 0;
        }
        log.add("stop " + name(state));
        return record;
    }

    @Override
    public void restore(WorkloadState state) {
        Workload w = write(state.ref());
        RestoreRecord record = w.record().orElse(null);
        if (record == null) {
            return;
        }
        boolean giveBack = state.stopped() && record.resumedByUserAt() == null;
        if (giveBack) {
            giveBack(w, record);
        }
        record(w, null);
        log.add("restore " + name(state));
    }

    @Override
    public void wake(WorkloadState state, Instant now) {
        Workload w = write(state.ref());
        RestoreRecord record = w.record().orElseThrow();
        giveBack(w, record);
        record(w, record.resumedByUser(now));
        log.add("wake " + name(state));
    }

    @Override
    public void markResumedByUser(WorkloadState state, Instant now) {
        Workload w = write(state.ref());
        record(w, w.record().orElseThrow().resumedByUser(now));
        log.add("mark " + name(state));
    }

    @Override
    public List<WorkloadRef> recordedBy(Optional<String> namespace, String owner) {
        return workloads.values().stream()
                .filter(w -> namespace.isEmpty() || namespace.get().equals(w.ref.namespace()))
                .filter(w -> w.record().filter(r -> owner.equals(r.owner())).isPresent())
                .map(w -> w.ref).toList();
    }

    @Override
    public Optional<WorkloadRef> cronJobOf(WorkloadRef job) {
        Workload w = workloads.get(job);
        return w == null || w.cronJob == null ? Optional.empty()
                : Optional.of(new WorkloadRef("batch/v1", "CronJob", job.namespace(), w.cronJob));
    }

    private Workload write(WorkloadRef ref) {
        if (failNextWriteWith != null) {
            int code = failNextWriteWith;
            failNextWriteWith = null;
            throw new KubernetesClientException("refused", code, null);
        }
        return changed(ref);
    }

    private Workload changed(WorkloadRef ref) {
        Workload w = workloads.get(ref);
        if (w == null) {
            throw new KubernetesClientException("not found", 404, null);
        }
        w.resourceVersion++;
        return w;
    }

    private static void giveBack(Workload w, RestoreRecord record) {
        if (w.batch()) {
            w.suspended = false;
        } else if (record.replicasBefore() != null) {
            w.replicas = record.replicasBefore();
        }
    }

    /** Like the merge patch: the record's keys replaced (removed when null), the restore request cleared. */
    private static void record(Workload w, RestoreRecord record) {
        RestoreRecord.KEYS.forEach(w.annotations::remove);
        w.annotations.remove(RestoreRecord.RESTORE);
        if (record != null) {
            w.annotations.putAll(record.toAnnotations());
        }
    }

    private static String name(WorkloadState state) {
        return state.ref().namespace() + "/" + state.ref().name();
    }
}
