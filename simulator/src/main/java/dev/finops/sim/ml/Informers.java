package dev.finops.sim.ml;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.dsl.Informable;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Duration;

/** Informers that feed a {@link ReconcileQueue}: every add, update and delete enqueues the object's key. */
final class Informers {

    /** A full resync now and then, as controller-runtime's SyncPeriod: a missed event heals by itself. */
    static final Duration RESYNC = Duration.ofSeconds(30);

    private Informers() {
    }

    /** Starts the informer and returns once its first list is in the cache. */
    static <T extends HasMetadata> SharedIndexInformer<T> start(Informable<T> source, ReconcileQueue queue) {
        SharedIndexInformer<T> informer = source.runnableInformer(RESYNC.toMillis());
        informer.addEventHandler(new ResourceEventHandler<>() {
            @Override
            public void onAdd(T obj) {
                queue.enqueue(ObjectKey.of(obj));
            }

            @Override
            public void onUpdate(T oldObj, T obj) {
                queue.enqueue(ObjectKey.of(obj));
            }

            @Override
            public void onDelete(T obj, boolean deletedFinalStateUnknown) {
                queue.enqueue(ObjectKey.of(obj));
            }
        });
        informer.run();
        return informer;
    }
}
