package dev.finops.sim.ml;

import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A controller's work queue, as controller-runtime's: keys, not events, so a burst of events for one object
 * is one reconcile; one worker thread, so one object is never reconciled twice at once; an API error
 * requeues the key after {@link #RETRY} (a 409 is the usual one: the cache was behind a write) and the
 * other keys go on.
 */
final class ReconcileQueue implements AutoCloseable {

    static final Duration RETRY = Duration.ofMillis(500);
    private static final Logger LOG = LoggerFactory.getLogger(ReconcileQueue.class);

    private final String controller;
    private final Consumer<ObjectKey> reconcile;
    private final Set<ObjectKey> queued = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService worker;

    ReconcileQueue(String controller, Consumer<ObjectKey> reconcile) {
        this.controller = controller;
        this.reconcile = reconcile;
        this.worker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "sim-" + controller);
            t.setDaemon(true);
            return t;
        });
    }

    void enqueue(ObjectKey key) {
        if (key != null && queued.add(key)) {
            worker.execute(() -> run(key));
        }
    }

    private void run(ObjectKey key) {
        queued.remove(key);
        try {
            reconcile.accept(key);
        } catch (KubernetesClientException e) {
            LOG.warn("{}: reconciling {} failed ({} {}); retrying in {} ms", controller, key, e.getCode(),
                    e.getMessage(), RETRY.toMillis());
            requeueLater(key);
        } catch (RuntimeException e) {
            LOG.error("{}: reconciling {} failed; retrying in {} ms", controller, key, RETRY.toMillis(), e);
            requeueLater(key);
        }
    }

    private void requeueLater(ObjectKey key) {
        if (!worker.isShutdown()) {
            worker.schedule(() -> enqueue(key), RETRY.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    @Override
    public void close() {
        worker.shutdownNow();
    }
}
