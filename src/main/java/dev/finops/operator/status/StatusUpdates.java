package dev.finops.operator.status;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import java.time.Duration;
import java.util.function.BiConsumer;

/**
 * Writes a status only when it should change: a no-op pass makes no API call. The write carries the
 * resourceVersion the status was computed from, so a concurrent change makes it fail and the pass is redone.
 */
public final class StatusUpdates {

    private StatusUpdates() {
    }

    public static <R extends HasMetadata, S> UpdateControl<R> patchIfChanged(R resource, S stored, S computed,
            BiConsumer<R, S> setStatus, Duration nextPass) {
        return patchIf(Statuses.differs(stored, computed), resource, computed, setStatus, nextPass);
    }

    public static <R extends HasMetadata, S> UpdateControl<R> patchIf(boolean write, R resource, S computed,
            BiConsumer<R, S> setStatus, Duration nextPass) {
        UpdateControl<R> control;
        if (write) {
            setStatus.accept(resource, computed);
            control = UpdateControl.patchStatus(resource);
        } else {
            control = UpdateControl.noUpdate();
        }
        return control.rescheduleAfter(nextPass);
    }
}
