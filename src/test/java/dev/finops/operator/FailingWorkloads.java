package dev.finops.operator;

import dev.finops.operator.model.WorkloadRef;
import dev.finops.operator.workload.FakeWorkloads;
import dev.finops.operator.workload.WorkloadState;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * In-memory workloads where chosen ones fail as an API server would refuse them: on every read, or on every stop
 * or restore, until told otherwise.
 */
public class FailingWorkloads extends FakeWorkloads {

    private final Map<WorkloadRef, Supplier<RuntimeException>> failReads = new HashMap<>();
    private final Map<WorkloadRef, Supplier<RuntimeException>> failWrites = new HashMap<>();

    /** The API server's refusal as fabric8 throws it: code and the Status message it would send. */
    public static KubernetesClientException refusal(int code, String message) {
        return new KubernetesClientException(message, code, new StatusBuilder().withCode(code).withMessage(message)
                .build());
    }

    /** A 403 as the API server words it, naming verb, resource and group. */
    public static KubernetesClientException forbidden(String verb, String resource, String group, String name) {
        return refusal(403, resource + (group.isEmpty() ? "" : "." + group) + " \"" + name + "\" is forbidden: User "
                + "\"system:serviceaccount:finops:operator\" cannot " + verb + " resource \"" + resource
                + "\" in API group \"" + group + "\" in the namespace \"team\"");
    }

    public void failReads(WorkloadRef ref, Supplier<RuntimeException> error) {
        failReads.put(ref, error);
    }

    /** Every stop, restore, wake or mark of {@code ref} fails; null heals it. */
    public void failWrites(WorkloadRef ref, Supplier<RuntimeException> error) {
        if (error == null) {
            failWrites.remove(ref);
        } else {
            failWrites.put(ref, error);
        }
    }

    @Override
    public Optional<WorkloadState> inspect(WorkloadRef ref) {
        fail(failReads, ref);
        return super.inspect(ref);
    }

    @Override
    public dev.finops.operator.workload.RestoreRecord stop(WorkloadState state, String owner, Instant now) {
        fail(failWrites, state.ref());
        return super.stop(state, owner, now);
    }

    @Override
    public void restore(WorkloadState state) {
        fail(failWrites, state.ref());
        super.restore(state);
    }

    @Override
    public void wake(WorkloadState state, Instant now) {
        fail(failWrites, state.ref());
        super.wake(state, now);
    }

    @Override
    public void markResumedByUser(WorkloadState state, Instant now) {
        fail(failWrites, state.ref());
        super.markResumedByUser(state, now);
    }

    private static void fail(Map<WorkloadRef, Supplier<RuntimeException>> failures, WorkloadRef ref) {
        Supplier<RuntimeException> error = failures.get(ref);
        if (error != null) {
            throw error.get();
        }
    }
}
