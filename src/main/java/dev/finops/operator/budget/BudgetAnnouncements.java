package dev.finops.operator.budget;

import dev.finops.operator.api.ExperimentBudget;
import dev.finops.operator.metrics.ActionMetrics;
import dev.finops.operator.model.WorkloadRef;
import dev.finops.operator.status.ConditionEvents;
import dev.finops.operator.workload.ActionFailure;
import dev.finops.operator.workload.RestoreRecord;
import dev.finops.operator.workload.WorkloadState;
import org.jboss.logging.Logger;

/** What a budget tells about its actions on workloads: an Event on the budget and one on the workload; failures counted. */
final class BudgetAnnouncements {

    private static final Logger LOG = Logger.getLogger(BudgetAnnouncements.class);

    private final ConditionEvents events;
    private final ActionMetrics metrics;

    BudgetAnnouncements(ConditionEvents events, ActionMetrics metrics) {
        this.events = events;
        this.metrics = metrics;
    }

    /** An Event on the budget and one on the workload, where people look for each. */
    void announce(ExperimentBudget budget, WorkloadState workload, String type, String reason, String message) {
        events.publish(budget, type, reason, message);
        events.publish(workload.eventTarget(), type, reason, message);
    }

    /** One failed action: counted and logged; the workload's status entry and its Event say it to people. */
    ActionFailure failed(ExperimentBudget budget, RuntimeException error, ActionFailure.Operation operation,
            WorkloadRef ref) {
        ActionFailure failure = ActionFailure.of(error, operation, ref);
        metrics.failed("budget", ref.kind(), failure.reason().name());
        LOG.warnf("Budget %s/%s: %s", budget.getMetadata().getNamespace(), budget.getMetadata().getName(),
                failure.message());
        return failure;
    }

    static String replicas(RestoreRecord record) {
        return record.replicasBefore() == null ? "" : " to " + record.replicasBefore() + " replicas";
    }
}
