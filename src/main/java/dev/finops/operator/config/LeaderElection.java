package dev.finops.operator.config;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;

/**
 * One active operator at a time when several replicas run: they compete for a Lease. Active in the
 * {@code prod} profile (tests and the single-replica demo run other profiles).
 */
@ApplicationScoped
public class LeaderElection {

    static final String LEASE_NAME = "gpu-finops-operator-leader";

    @Produces
    @ApplicationScoped
    LeaderElectionConfiguration leaderElectionConfiguration(OperatorConfig config, KubernetesClient client) {
        return new LeaderElectionConfiguration(LEASE_NAME,
                OperatorNamespace.resolve(config.leaseNamespace(), client));
    }
}
