package dev.finops.operator.cluster;

import dev.finops.operator.model.GpuNode;
import dev.finops.operator.model.GpuPod;
import dev.finops.operator.model.PendingPod;

/**
 * Hears what changed in the cluster view, in the cost model's terms. An update carries both sides, so a pod that
 * left a selector still wakes the budget it left; {@code before} is null for an addition, {@code after} for a
 * removal. Called on the informers' threads: implementations only map the change and hand it on.
 */
public interface ClusterListener {

    /** A GPU pod appeared, changed or went away. */
    default void podChanged(GpuPod before, GpuPod after) {
    }

    /** An unscheduled GPU pod appeared, changed or went away (was bound, or deleted). */
    default void pendingPodChanged(PendingPod before, PendingPod after) {
    }

    /** A node appeared, changed what the cost model reads of it, or went away. */
    default void nodeChanged(GpuNode before, GpuNode after) {
    }

    /** The prices in force changed: the price ConfigMap, or a GpuPool's pricing or reservations. */
    default void pricesChanged() {
    }
}
