package dev.finops.sim.ml;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import java.util.function.Consumer;

/**
 * Every change of an owned object enqueues its controller owner of {@code ownerKind}, as a controller-runtime
 * {@code Owns(...)} watch does: a pod going away wakes its job, a RayCluster becoming ready wakes its RayJob.
 */
final class OwnerWakingHandler<T extends HasMetadata> implements ResourceEventHandler<T> {

    private final String ownerKind;
    private final Consumer<ObjectKey> enqueue;

    OwnerWakingHandler(String ownerKind, Consumer<ObjectKey> enqueue) {
        this.ownerKind = ownerKind;
        this.enqueue = enqueue;
    }

    OwnerWakingHandler(String ownerKind, ReconcileQueue queue) {
        this(ownerKind, queue::enqueue);
    }

    @Override
    public void onAdd(T obj) {
        wake(obj);
    }

    @Override
    public void onUpdate(T oldObj, T obj) {
        wake(obj);
    }

    @Override
    public void onDelete(T obj, boolean deletedFinalStateUnknown) {
        wake(obj);
    }

    private void wake(T obj) {
        Owners.controllerOf(obj).filter(r -> ownerKind.equals(r.getKind()))
                .ifPresent(r -> enqueue.accept(new ObjectKey(obj.getMetadata().getNamespace(), r.getName())));
    }
}
