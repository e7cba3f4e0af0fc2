package dev.finops.operator.budget;

import dev.finops.operator.api.ExperimentBudget;
import dev.finops.operator.api.SuspendedWorkload;
import dev.finops.operator.model.GpuPod;
import dev.finops.operator.model.WorkloadRef;
import dev.finops.operator.workload.ActionFailure;
import dev.finops.operator.workload.WorkloadActions;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Which workloads a budget's enforcement looks at: those of its selected pods that still run or wait to run (with
 * their CronJobs), and those it stopped, by its status and by the records on the workloads. A lookup that fails
 * leaves out what it would have found, says why, and the pass goes on.
 */
final class BudgetWorkloads {

    private static final Logger LOG = Logger.getLogger(BudgetWorkloads.class);

    private final WorkloadActions workloads;

    BudgetWorkloads(WorkloadActions workloads) {
        this.workloads = workloads;
    }

    /** The references found, and why the search for records failed, if it did. */
    record Found(List<WorkloadRef> refs, Optional<String> problem) {
    }

    /** The workloads of the budget's pods that still run or wait to run, and their CronJobs. */
    List<WorkloadRef> running(ExperimentBudget budget, List<GpuPod> pods) {
        List<WorkloadRef> refs = new ArrayList<>();
        for (GpuPod pod : pods) {
            if (pod.end() != null) {
                continue;
            }
            WorkloadRef ref = workloads.workloadOf(pod); // its verified owner, never its claim
            if (!refs.contains(ref)) {
                refs.add(ref);
                cronJobOf(ref).filter(cron -> !refs.contains(cron)).ifPresent(refs::add);
            }
        }
        return refs;
    }

    /**
     * What this budget stopped: the workloads its status lists and those carrying its record (after a crash
     * between a stop and the status write, the record on the workload is the only trace).
     */
    Found stoppedBy(ExperimentBudget budget, List<SuspendedWorkload> listed) {
        String namespace = budget.getMetadata().getNamespace();
        List<WorkloadRef> refs = new ArrayList<>(SuspendedEntries.refs(namespace, listed));
        try {
            workloads.recordedBy(namespace, budget.getMetadata().getName()).stream()
                    .filter(ref -> !refs.contains(ref)).forEach(refs::add);
            return new Found(refs, Optional.empty());
        } catch (RuntimeException e) {
            ActionFailure failure = ActionFailure.ofSearch(e, namespace);
            LOG.warnf("Budget %s/%s: %s", namespace, budget.getMetadata().getName(), failure.message());
            return new Found(refs, Optional.of(failure.message()));
        }
    }

    /** The CronJob that owns a Job; none when it cannot be read (the Job itself is still acted on). */
    private Optional<WorkloadRef> cronJobOf(WorkloadRef ref) {
        try {
            return workloads.cronJobOf(ref);
        } catch (RuntimeException e) {
            LOG.warnf("Cannot read the owner of %s: %s", ref.describe(), ActionFailure.of(e,
                    ActionFailure.Operation.Read, ref).message());
            return Optional.empty();
        }
    }
}
