package dev.finops.operator.idle;

import dev.finops.operator.api.GpuPool;
import dev.finops.operator.api.IdleWorkload;
import dev.finops.operator.status.ConditionEvents;
import dev.finops.operator.workload.RestoreRecord;
import dev.finops.operator.workload.WorkloadController;
import dev.finops.operator.workload.WorkloadRef;
import dev.finops.operator.workload.WorkloadState;
import io.fabric8.kubernetes.client.KubernetesClientException;
import jakarta.enterprise.context.ApplicationScoped;
import dev.finops.operator.validation.GoDuration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * The workloads a pool's idle detection scaled down, followed pass by pass until they come back. A person's
 * {@code finops.dev/restore: "true"} brings back exactly the recorded replicas; a person scaling one up again is
 * respected (its record says when, and it is not scaled down again before it has been idle for a whole window
 * after that); one that is gone, or whose record someone removed, is dropped. Switching idle scale-down off, or deleting the pool,
 * restores them all.
 *
 * <p>The pool's status lists them, and they are remembered here too, so a status write refused by a conflict
 * forgets none. After a restart (or a leader change) the records on the workloads are searched once per pool,
 * in the namespaces its GPU pods and its status name: the record is the only trace of a stop whose status write
 * never happened.
 */
@ApplicationScoped
public class IdleScaleDowns {

    private static final Logger LOG = Logger.getLogger(IdleScaleDowns.class);

    private final WorkloadController workloads;
    private final ConditionEvents events;
    private final Map<String, Map<WorkloadRef, IdleWorkload>> byPool = new ConcurrentHashMap<>();

    public IdleScaleDowns(WorkloadController workloads, ConditionEvents events) {
        this.workloads = workloads;
        this.events = events;
    }

    /** The owner written in the restore records of {@code pool}'s scale-downs. */
    public static String owner(GpuPool pool) {
        return "gpupool/" + pool.getMetadata().getName();
    }

    /**
     * Follows the pool's scale-downs (those {@code listed} in its status, those remembered, those found by their
     * records in {@code namespaces}) and returns the ones that still carry its record: scaled down, or woken by
     * a person less than a window ago. Restore requests are honoured on the way.
     */
    public List<IdleWorkload> follow(GpuPool pool, List<IdleWorkload> listed, Collection<String> namespaces,
            String window, Instant now) {
        Map<WorkloadRef, IdleWorkload> known = known(pool, listed, namespaces);
        List<IdleWorkload> still = new ArrayList<>();
        known.entrySet().removeIf(entry -> {
            boolean recorded = stillRecorded(pool, entry.getKey(), entry.getValue(), window, now);
            if (recorded) {
                still.add(entry.getValue());
            }
            return !recorded;
        });
        return still;
    }

    /** Remembers a scale-down done in this pass. */
    public void scaledDown(GpuPool pool, WorkloadRef ref, IdleWorkload entry) {
        byPool.computeIfAbsent(pool.getMetadata().getName(), name -> new ConcurrentHashMap<>()).put(ref, entry);
    }

    /**
     * Restores everything the pool scaled down; {@code why} ends the Events' sentence. Returns false when some
     * workload could not be restored now (it is tried again on the next call).
     */
    public boolean restoreAll(GpuPool pool, List<IdleWorkload> listed, Collection<String> namespaces, String why) {
        Map<WorkloadRef, IdleWorkload> known = known(pool, listed, namespaces);
        known.keySet().removeIf(ref -> restore(pool, ref, why));
        return known.isEmpty();
    }

    /** Forgets a deleted pool. */
    public void forget(GpuPool pool) {
        byPool.remove(pool.getMetadata().getName());
    }

    private Map<WorkloadRef, IdleWorkload> known(GpuPool pool, List<IdleWorkload> listed,
            Collection<String> namespaces) {
        Map<WorkloadRef, IdleWorkload> known = byPool.computeIfAbsent(pool.getMetadata().getName(),
                name -> search(pool, listed, namespaces));
        for (IdleWorkload entry : listed) {
            known.putIfAbsent(ref(entry), entry);
        }
        return known;
    }

    private Map<WorkloadRef, IdleWorkload> search(GpuPool pool, List<IdleWorkload> listed,
            Collection<String> namespaces) {
        Map<WorkloadRef, IdleWorkload> found = new ConcurrentHashMap<>();
        List<String> where = new ArrayList<>(namespaces);
        listed.stream().map(IdleWorkload::getNamespace).filter(ns -> !where.contains(ns)).forEach(where::add);
        for (String namespace : where) {
            try {
                workloads.recordedBy(namespace, owner(pool)).forEach(ref -> found.put(ref, entryFor(ref)));
            } catch (KubernetesClientException e) {
                // e.g. a namespace the operator may not read (watch-namespaces): it cannot have scaled anything there
                LOG.warnf("Cannot search %s for workloads scaled down by %s: %s", namespace, owner(pool),
                        e.getMessage());
            }
        }
        return found;
    }

    /**
     * True while the workload carries the pool's record: scaled down, or woken by a person less than a window
     * ago (then {@code entry} says WokenByUser). The record of a wake a whole window old is removed: from then on
     * the workload is judged like any other, on its last window, which began after the wake.
     */
    private boolean stillRecorded(GpuPool pool, WorkloadRef ref, IdleWorkload entry, String window, Instant now) {
        try {
            Optional<WorkloadState> found = workloads.inspect(ref);
            Optional<RestoreRecord> record = found.flatMap(WorkloadState::record)
                    .filter(r -> owner(pool).equals(r.owner()));
            if (record.isEmpty()) {
                return false;
            }
            WorkloadState state = found.get();
            if (entry.getScaledDownAt() == null) {
                entry.setScaledDownAt(record.get().at().toString());
            }
            if (state.restoreRequested()) {
                workloads.restore(state);
                announce(pool, state, "IdleRestored", "Restored " + ref.describe()
                        + (state.stopped() ? replicas(record.get()) : "") + " at a person's request ("
                        + RestoreRecord.RESTORE + ").");
                return false;
            }
            if (state.stopped()) {
                entry.setAction(PoolIdleDetection.SCALED_DOWN);
                return true;
            }
            Instant woken = record.get().resumedByUserAt();
            if (woken == null) {
                workloads.markResumedByUser(state, now);
                announce(pool, state, "IdleWokenByUser", ref.describe() + " was started again by a person; it is "
                        + "left running, and scaled down again only if it stays idle for a whole window ("
                        + window + ") from now.");
            } else if (!now.isBefore(woken.plus(GoDuration.parse(window)))) {
                workloads.restore(state);
                return false;
            }
            entry.setAction(PoolIdleDetection.WOKEN_BY_USER);
            return true;
        } catch (KubernetesClientException e) {
            LOG.warnf("Cannot check %s, scaled down by %s: %s; trying again next pass", ref.describe(), owner(pool),
                    e.getMessage());
            return true;
        }
    }

    /** Restores one workload; true when nothing of the pool's is left on it. */
    private boolean restore(GpuPool pool, WorkloadRef ref, String why) {
        try {
            Optional<WorkloadState> found = workloads.inspect(ref);
            Optional<RestoreRecord> record = found.flatMap(WorkloadState::record)
                    .filter(r -> owner(pool).equals(r.owner()));
            if (record.isPresent()) {
                workloads.restore(found.get());
                announce(pool, found.get(), "IdleRestored", "Restored " + ref.describe()
                        + (found.get().stopped() ? replicas(record.get()) : "") + ": " + why + ".");
            }
            return true;
        } catch (KubernetesClientException e) {
            LOG.warnf("Cannot restore %s, scaled down by %s: %s; trying again next pass", ref.describe(),
                    owner(pool), e.getMessage());
            return false;
        }
    }

    /** An Event on the pool and one on the workload, where people look for each. */
    private void announce(GpuPool pool, WorkloadState workload, String reason, String message) {
        events.publish(pool, "Normal", reason, message);
        events.publish(workload.eventTarget(), "Normal", reason, message);
    }

    private static String replicas(RestoreRecord record) {
        return record.replicasBefore() == null ? "" : " to " + record.replicasBefore() + " replicas";
    }

    static WorkloadRef ref(IdleWorkload entry) {
        return new WorkloadRef(entry.getApiVersion(), entry.getKind(), entry.getNamespace(), entry.getName());
    }

    /** The status entry of a scale-down found only by its record: what the record tells. */
    private static IdleWorkload entryFor(WorkloadRef ref) {
        IdleWorkload entry = new IdleWorkload();
        entry.setNamespace(ref.namespace());
        entry.setApiVersion(ref.apiVersion());
        entry.setKind(ref.kind());
        entry.setName(ref.name());
        entry.setAction(PoolIdleDetection.SCALED_DOWN);
        return entry;
    }
}
