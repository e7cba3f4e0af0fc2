package dev.finops.operator.idle;

import dev.finops.operator.api.GpuPool;
import dev.finops.operator.api.IdleWorkload;
import dev.finops.operator.api.IdleWorkloadAction;
import dev.finops.operator.metrics.ActionMetrics;
import dev.finops.operator.model.WorkloadRef;
import dev.finops.operator.status.ConditionEvents;
import dev.finops.operator.validation.GoDuration;
import dev.finops.operator.workload.ActionFailure;
import dev.finops.operator.workload.ActionFailure.Operation;
import dev.finops.operator.workload.RestoreRecord;
import dev.finops.operator.workload.WorkloadActions;
import dev.finops.operator.workload.WorkloadController;
import dev.finops.operator.workload.WorkloadState;
import dev.finops.operator.workload.WorkloadVerdict.Intent;
import dev.finops.operator.workload.WorkloadVerdict.Owner;
import dev.finops.operator.workload.WorkloadVerdict;
import io.fabric8.kubernetes.client.KubernetesClientException;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * The workloads a pool's idle detection scaled down, followed pass by pass until they come back, each as its
 * {@link WorkloadVerdict} says. A workload running again (a person or a tool scaled it up, or a person's
 * {@code finops.dev/restore: "true"} brought back exactly the recorded replicas) is respected: its record says
 * when, and it is not scaled down again before it has been idle for a whole window after that; one that is
 * gone, or whose record someone removed, is dropped.
 * Switching idle scale-down off, or deleting the pool, restores them all.
 *
 * <p>The pool's status lists them, and they are remembered here too, so a status write refused by a conflict
 * forgets none. After a restart (or a leader change) the records are searched once per pool, by their label
 * (one list per workload kind): a stop whose status write never happened left its only trace there.
 */
@ApplicationScoped
public class IdleScaleDowns {

    private static final Logger LOG = Logger.getLogger(IdleScaleDowns.class);
    /** The JOSDK values that mean "every namespace" rather than a list. */
    private static final List<String> ALL_NAMESPACES = List.of("JOSDK_ALL_NAMESPACES", "JOSDK_WATCH_CURRENT");

    private final WorkloadActions workloads;
    private final ConditionEvents events;
    private final ActionMetrics metrics;
    private final Optional<List<String>> watchedNamespaces;
    private final Map<String, Map<WorkloadRef, IdleWorkload>> byPool = new ConcurrentHashMap<>();

    public IdleScaleDowns(WorkloadActions workloads, ConditionEvents events, ActionMetrics metrics,
            @ConfigProperty(name = "quarkus.operator-sdk.controllers.experimentbudget.namespaces")
            Optional<List<String>> watchedNamespaces) {
        this.workloads = workloads;
        this.events = events;
        this.metrics = metrics;
        this.watchedNamespaces = watchedNamespaces.filter(list -> list.stream().noneMatch(ALL_NAMESPACES::contains));
    }

    /** The owner written in the restore records of {@code pool}'s scale-downs. */
    public static String owner(GpuPool pool) {
        return "gpupool/" + pool.getMetadata().getName();
    }

    /** The pool as an acting owner: it respects a person's wake for one idle window. */
    static Owner owner(GpuPool pool, String window) {
        return Owner.forAWindow(owner(pool), GoDuration.parse(window));
    }

    /**
     * Follows the pool's scale-downs (those {@code listed} in its status, those remembered, those found by their
     * records) and returns the ones that still carry its record: scaled down, or running again for less than a
     * window. Restore requests are honoured on the way.
     */
    public List<IdleWorkload> follow(GpuPool pool, List<IdleWorkload> listed, String window, Instant now) {
        Map<WorkloadRef, IdleWorkload> known = known(pool, listed);
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
     * Restores everything the pool scaled down; {@code why} ends the Events' sentence. Returns what could not be
     * restored now (tried again on the next call; the status keeps listing it).
     */
    public List<IdleWorkload> restoreAll(GpuPool pool, List<IdleWorkload> listed, String why, boolean deleting) {
        Map<WorkloadRef, IdleWorkload> known = known(pool, listed);
        known.entrySet().removeIf(entry -> restore(pool, entry.getKey(), entry.getValue(), why, deleting));
        return List.copyOf(known.values());
    }

    /** Forgets a deleted pool. */
    public void forget(GpuPool pool) {
        byPool.remove(pool.getMetadata().getName());
    }

    private Map<WorkloadRef, IdleWorkload> known(GpuPool pool, List<IdleWorkload> listed) {
        Map<WorkloadRef, IdleWorkload> known = byPool.get(pool.getMetadata().getName());
        if (known == null) {
            known = new ConcurrentHashMap<>();
            try {
                for (WorkloadRef ref : search(owner(pool))) {
                    known.put(ref, entryFor(ref));
                }
                byPool.put(pool.getMetadata().getName(), known);
                LOG.infof("%d workloads carry the record of %s (searched %s)", known.size(), owner(pool),
                        watchedNamespaces.map(list -> "namespaces " + list).orElse("all namespaces"));
            } catch (RuntimeException e) {
                if (e instanceof KubernetesClientException refused && refused.getCode() == 403) {
                    // no rights to list workloads (rbac.workloadActions off): it cannot have scaled any down either
                    byPool.put(pool.getMetadata().getName(), known);
                    LOG.warnf("Cannot search the workloads scaled down by %s, so none is restored: %s", owner(pool),
                            e.getMessage());
                } else {
                    // not remembered: the search runs again next pass
                    LOG.warnf("Cannot search the workloads scaled down by %s: %s", owner(pool), e.getMessage());
                }
            }
        }
        for (IdleWorkload entry : listed) {
            known.putIfAbsent(IdleFindings.ref(entry), entry);
        }
        return known;
    }

    /** The workloads carrying {@code owner}'s record: in every namespace, or in each watched one. */
    private List<WorkloadRef> search(String owner) {
        if (watchedNamespaces.isEmpty()) {
            return workloads.recordedBy(Optional.empty(), owner);
        }
        List<WorkloadRef> found = new ArrayList<>();
        watchedNamespaces.get().forEach(namespace -> found.addAll(workloads.recordedBy(namespace, owner)));
        return found;
    }

    /**
     * True while the workload carries the pool's record: scaled down, or running again for less than a window
     * (then {@code entry} says WokenByUser). The record of a wake a whole window old is removed: from then on the
     * workload is judged like any other, on its last window, which began after the wake.
     */
    private boolean stillRecorded(GpuPool pool, WorkloadRef ref, IdleWorkload entry, String window, Instant now) {
        try {
            Optional<WorkloadState> found = workloads.inspect(ref);
            WorkloadVerdict verdict = WorkloadVerdict.decide(found, owner(pool, window), Intent.Stop, now);
            if (verdict.record() == null) {
                return false; // the record is gone: from now on judged like any other workload
            }
            if (entry.getScaledDownAt() == null) {
                entry.setScaledDownAt(verdict.record().at().toString());
            }
            entry.setMessage(null);
            switch (verdict.kind()) {
                case AlreadyStoppedByMe -> entry.setAction(IdleWorkloadAction.ScaledDown);
                case ResumedByPerson -> {
                    resume(pool, found.get(), verdict, window, now);
                    entry.setAction(IdleWorkloadAction.WokenByUser);
                }
                default -> {
                    // stopped again by whoever woke it, or running for a whole window: the record has done its job
                    workloads.restore(found.get());
                    return false;
                }
            }
            return true;
        } catch (RuntimeException e) {
            ActionFailure failure = failed(pool, e, Operation.Read, ref);
            LOG.warnf("Cannot follow %s, scaled down by %s: %s; trying again next pass", ref.describe(), owner(pool),
                    failure.message());
            return true;
        }
    }

    /**
     * A person's wake: written into the pool's record, after giving back the recorded replicas when the person
     * asked for them with {@code finops.dev/restore}. Either way the workload keeps running for a whole window.
     */
    void resume(GpuPool pool, WorkloadState state, WorkloadVerdict verdict, String window, Instant now) {
        String ref = state.ref().describe();
        switch (verdict.wake()) {
            case Recorded -> { }
            case Record -> {
                workloads.markResumedByUser(state, now);
                announce(pool, state, "IdleWokenByUser", ref + " is running again (scaled up by a person or a tool); "
                        + "it is left running, and scaled down again only if it stays idle for a whole window ("
                        + window + ") from now.");
            }
            case GiveBack -> {
                workloads.wake(state, now);
                announce(pool, state, "IdleRestored", "Restored " + ref + replicas(verdict.record())
                        + " at a person's request (" + RestoreRecord.RESTORE + "); it is left running, and scaled "
                        + "down again only if it stays idle for a whole window (" + window + ") from now.");
            }
        }
    }

    /**
     * Restores one workload; true when nothing of the pool's is left on it, or, for a deleted pool, nothing can
     * ever be done. One that cannot be restored now stays listed as CannotRestore, said once, and is tried again.
     */
    private boolean restore(GpuPool pool, WorkloadRef ref, IdleWorkload entry, String why, boolean deleting) {
        Optional<WorkloadState> found = Optional.empty();
        try {
            found = workloads.inspect(ref);
            WorkloadVerdict verdict = WorkloadVerdict.release(found, owner(pool));
            if (verdict.is(WorkloadVerdict.Kind.Restore)) {
                workloads.restore(found.get());
                announce(pool, found.get(), "IdleRestored", "Restored " + ref.describe()
                        + (found.get().stopped() && verdict.record().resumedByUserAt() == null
                                ? replicas(verdict.record()) : "") + ": " + why + ".");
            }
            return true;
        } catch (RuntimeException e) {
            ActionFailure failure = failed(pool, e, found.isPresent() ? Operation.Restore : Operation.Read, ref);
            if (deleting && failure.reason() == ActionFailure.Reason.Forbidden) {
                // no rights there (any more): waiting would block the pool's deletion for ever
                events.publish(pool, "Warning", "IdleRestoreForbidden", "Cannot restore " + ref.describe() + " ("
                        + why + "): " + failure.message() + ". Its restore record is on it: set replicas (or "
                        + "spec.suspend) back by hand and remove the finops.dev/ annotations.");
                return true;
            }
            if (entry.getAction() != IdleWorkloadAction.CannotRestore && failure.reason() != ActionFailure.Reason.Conflict) {
                events.publish(pool, "Warning", "IdleRestoreFailed", "Cannot restore " + ref.describe() + " (" + why
                        + "): " + failure.message() + "; tried again on every pass.");
                entry.setAction(IdleWorkloadAction.CannotRestore);
                entry.setMessage(failure.message());
            }
            return false;
        }
    }

    private ActionFailure failed(GpuPool pool, RuntimeException error, Operation operation, WorkloadRef ref) {
        ActionFailure failure = ActionFailure.of(error, operation, ref);
        metrics.failed("pool", ref.kind(), failure.reason().name());
        LOG.warnf("Pool %s: %s", pool.getMetadata().getName(), failure.message());
        return failure;
    }

    /** An Event on the pool and one on the workload, where people look for each. */
    private void announce(GpuPool pool, WorkloadState workload, String reason, String message) {
        events.publish(pool, "Normal", reason, message);
        events.publish(workload.eventTarget(), "Normal", reason, message);
    }

    private static String replicas(RestoreRecord record) {
        return record.replicasBefore() == null ? "" : " to " + record.replicasBefore() + " replicas";
    }

    /** The status entry of a scale-down found only by its record; the record fills in the time next pass. */
    private static IdleWorkload entryFor(WorkloadRef ref) {
        IdleWorkload entry = new IdleWorkload();
        entry.setNamespace(ref.namespace());
        entry.setApiVersion(ref.apiVersion());
        entry.setKind(ref.kind());
        entry.setName(ref.name());
        entry.setAction(IdleWorkloadAction.ScaledDown);
        return entry;
    }
}
