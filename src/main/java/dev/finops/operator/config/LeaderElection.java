package dev.finops.operator.config;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;

/**
 * One active operator at a time when several replicas run: they compete for a Lease. Active in the
 * {@code prod} profile (tests and the single-replica demo run other profiles).
 */
@ApplicationScoped
public class LeaderElection {

    static final String LEASE_NAME = "gpu-finops-operator-leader";
    // A standby retries every 1 to 2.2 s (fabric8 adds up to 120 % jitter), so it takes a released Lease within
    // about 2 s; the leader renews at the same pace, one small write a second.
    static final Duration RETRY_PERIOD = Duration.ofSeconds(1);

    @Produces
    @Singleton // a record cannot be proxied
    LeaseHolder leaseHolder(OperatorConfig config, KubernetesClient client) {
        // the pod's name, as JOSDK would pick; fixed here because the release on shutdown must know it too
        String identity = Optional.ofNullable(System.getenv("HOSTNAME")).filter(name -> !name.isBlank())
                .orElseGet(() -> UUID.randomUUID().toString());
        return new LeaseHolder(OperatorNamespace.resolve(config.leaseNamespace(), client), LEASE_NAME, identity);
    }

    @Produces
    @ApplicationScoped
    LeaderElectionConfiguration leaderElectionConfiguration(LeaseHolder holder, LeadershipHandover handover) {
        // exitOnStopLeading false: JOSDK's System.exit runs inside the shutdown hook on SIGTERM and hangs the JVM for
        // good; the handover exits itself when leadership is lost while running
        return new LeaderElectionConfiguration(holder.name(), holder.namespace(),
                LeaderElectionConfiguration.LEASE_DURATION_DEFAULT_VALUE,
                LeaderElectionConfiguration.RENEW_DEADLINE_DEFAULT_VALUE, RETRY_PERIOD, holder.identity(),
                new LeaderCallbacks(() -> { }, handover::stoppedLeading, leader -> { }), false);
    }
}
