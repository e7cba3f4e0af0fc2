package dev.finops.operator.status;

import dev.finops.operator.cluster.ApiReachability;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import java.time.Duration;
import java.util.Optional;
import java.util.function.BiConsumer;
import org.jboss.logging.Logger;

/**
 * Writes a status only when it should change, so a no-op pass makes no API call. The write carries the
 * resourceVersion the status was computed from: when someone changed the resource meanwhile, the API server
 * refuses it (409) and the pass is simply redone a second later from the fresh resource, and from its stored
 * ledger. The next pass is always scheduled here, whatever happened.
 */
public final class StatusUpdates {

    public static final Duration AFTER_CONFLICT = Duration.ofSeconds(1);
    private static final Logger LOG = Logger.getLogger(StatusUpdates.class);

    private StatusUpdates() {
    }

    /**
     * Writes {@code computed} as the resource's status when {@code write}. Whether the API server answered is told to
     * {@code reachability} (a write that got no answer is evidence of an outage); {@code afterWrite} runs only once
     * the write succeeded (the Events that tell what it records), never for a write lost to a conflict, nor when
     * nothing is written. A write refused otherwise throws, and the framework retries the pass within seconds.
     */
    public static <R extends HasMetadata, S> UpdateControl<R> patchIf(boolean write, R resource, S computed,
            BiConsumer<R, S> setStatus, Duration nextPass, Context<R> context, ApiReachability reachability,
            Runnable afterWrite) {
        if (!write) {
            return UpdateControl.<R>noUpdate().rescheduleAfter(nextPass);
        }
        if (write(resource, computed, setStatus, context, reachability).isEmpty()) {
            return UpdateControl.<R>noUpdate().rescheduleAfter(AFTER_CONFLICT);
        }
        afterWrite.run();
        return UpdateControl.<R>noUpdate().rescheduleAfter(nextPass);
    }

    /**
     * Writes {@code computed} as the resource's status now, guarded by its resourceVersion: the resource as
     * written, or empty when it changed since it was read (409; the pass is then redone from the fresh one).
     */
    public static <R extends HasMetadata, S> Optional<R> write(R resource, S computed, BiConsumer<R, S> setStatus,
            Context<R> context, ApiReachability reachability) {
        setStatus.accept(resource, computed);
        try {
            return Optional.of(reachability.observe(() -> {
                if (context.getControllerConfiguration().getConfigurationService().useSSAToPatchPrimaryResource()) {
                    // an apply request must not carry managedFields; the resourceVersion stays, as the guard
                    resource.getMetadata().setManagedFields(null);
                    return context.resourceOperations().serverSideApplyPrimaryStatus(resource);
                }
                return context.resourceOperations().updatePrimaryStatus(resource);
            }));
        } catch (KubernetesClientException e) {
            if (e.getCode() != 409) {
                throw e;
            }
            LOG.debugf("%s %s changed while its status was computed; recomputing", resource.getKind(),
                    resource.getMetadata().getName());
            return Optional.empty();
        }
    }
}
