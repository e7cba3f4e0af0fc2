package dev.finops.operator.config;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;
import org.jboss.logging.Logger;

/**
 * What a replica does when it stops leading. On shutdown (SIGTERM on a rollout, drain or eviction) JOSDK reports it
 * from Operator.stop after the controllers stopped and the in-flight reconciles drained, so the Lease is released
 * for a standby to take at once. Losing the Lease while running (renewals failing past the deadline, or another
 * replica holding it) ends the process instead, as JOSDK did, so it restarts as a standby rather than reconcile
 * beside the new leader.
 */
@ApplicationScoped
public class LeadershipHandover {

    private static final Logger LOG = Logger.getLogger(LeadershipHandover.class);

    private final LeaseRelease release;
    private volatile boolean shuttingDown;

    LeadershipHandover(LeaseRelease release) {
        this.release = release;
    }

    // Before the operator extension stops the operator (its own ShutdownEvent observer has priority 3123).
    void onShutdown(@Observes @Priority(Interceptor.Priority.APPLICATION) ShutdownEvent event) {
        shuttingDown = true;
    }

    /** JOSDK's stop-leading callback; never System.exit here: on shutdown that blocks the JVM's exit forever. */
    void stoppedLeading() {
        if (shuttingDown) {
            release.release();
        } else {
            LOG.error("Lost the leader Lease while running: exiting, to restart as a standby");
            Quarkus.asyncExit(1);
        }
    }
}
