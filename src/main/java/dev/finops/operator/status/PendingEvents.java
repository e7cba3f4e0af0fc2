package dev.finops.operator.status;

import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.ArrayList;
import java.util.List;

/**
 * Events that tell what a status records (an alert, a warning before a stop, a workload that cannot be stopped),
 * held until the status write that records it succeeded: a pass whose write lost (another operator, a person)
 * tells nothing, and the pass that wins tells it once. Events about actions done on workloads are not held: the
 * action happened whatever becomes of the write.
 */
public final class PendingEvents {

    private record Pending(HasMetadata resource, String type, String reason, String message) {
    }

    private final List<Pending> pending = new ArrayList<>();
    private final List<Runnable> afterwards = new ArrayList<>();

    public void add(HasMetadata resource, String type, String reason, String message) {
        pending.add(new Pending(resource, type, reason, message));
    }

    /** Something else to do once the write succeeded (a counter, a log line). */
    public void andThen(Runnable action) {
        afterwards.add(action);
    }

    public void publishTo(ConditionEvents events) {
        pending.forEach(p -> events.publish(p.resource(), p.type(), p.reason(), p.message()));
        afterwards.forEach(Runnable::run);
        pending.clear();
        afterwards.clear();
    }

    /** The reasons held so far, in order. */
    public List<String> reasons() {
        return pending.stream().map(Pending::reason).toList();
    }
}
