package dev.finops.operator.cluster;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * The listeners of one shared watch, and its lifecycle: the watch starts with its first subscriber (an event
 * source of a controller starting) and stops with its last, so both controllers share one informer of each kind.
 */
final class Subscribers<L> {

    private static final Logger LOG = Logger.getLogger(Subscribers.class);

    private final List<L> listeners = new CopyOnWriteArrayList<>();
    private final Runnable start;
    private final Runnable stop;

    Subscribers(Runnable start, Runnable stop) {
        this.start = start;
        this.stop = stop;
    }

    synchronized void add(L listener) {
        if (listeners.contains(listener)) {
            return;
        }
        listeners.add(listener);
        if (listeners.size() == 1) {
            start.run();
        }
    }

    synchronized void remove(L listener) {
        if (listeners.remove(listener) && listeners.isEmpty()) {
            stop.run();
        }
    }

    /** Tells every listener; one that fails is logged and the others still hear it. */
    void notify(Consumer<L> event) {
        for (L listener : listeners) {
            try {
                event.accept(listener);
            } catch (RuntimeException e) {
                LOG.warnf(e, "A listener failed on a cluster change; the periodic pass still covers it");
            }
        }
    }
}
