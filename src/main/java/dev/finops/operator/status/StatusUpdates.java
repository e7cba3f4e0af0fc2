package dev.finops.operator.status;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import java.time.Duration;
import java.util.function.BiConsumer;

/** Writes a status only when it differs from the stored one: a no-op pass makes no API call. */
public final class StatusUpdates {

    private StatusUpdates() {
    }

    public static <R extends HasMetadata, S> UpdateControl<R> patchIfChanged(R resource, S stored, S computed,
            BiConsumer<R, S> setStatus, Duration nextPass) {
        UpdateControl<R> control;
        if (Statuses.differs(stored, computed)) {
            setStatus.accept(resource, computed);
            control = UpdateControl.patchStatus(resource);
        } else {
            control = UpdateControl.noUpdate();
        }
        return control.rescheduleAfter(nextPass);
    }
}
