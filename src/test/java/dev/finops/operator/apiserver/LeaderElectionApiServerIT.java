package dev.finops.operator.apiserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.finops.operator.config.LeaseHolder;
import dev.finops.operator.config.LeaseRelease;
import dev.finops.operator.e2e.OperatorProcess;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two replicas of the packaged operator in the prod profile (leader election on, as the chart runs it), named
 * {@code leader} and {@code standby} through HOSTNAME as pods are. SIGTERM to the leader must end its JVM (it used
 * to hang in JOSDK's System.exit inside the shutdown hook) and hand the Lease over at once instead of letting the
 * standby wait for it to expire.
 */
class LeaderElectionApiServerIT {

    private static final String NS = "finops-system";
    private static final String STOLEN_NS = "finops-stolen";
    private static final String LEASE = "gpu-finops-operator-leader";
    // the Lease expires 15 s after its last renewal: a takeover sooner than this proves it was released
    private static final Duration WITHOUT_RELEASE = Duration.ofSeconds(10);

    private static RealApiServer api;
    private static KubernetesClient client;

    @BeforeAll
    static void cluster() {
        api = RealApiServer.start();
        client = api.client();
        api.installCrds();
        for (String namespace : new String[] {NS, STOLEN_NS}) {
            client.resource(new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata().build())
                    .create();
        }
    }

    @AfterAll
    static void stop() {
        api.close();
    }

    @Test
    void sigtermEndsTheLeaderAndTheStandbyTakesTheLeaseAtOnce() throws Exception {
        try (OperatorProcess leader = replica("leader").start()) {
            await().atMost(Duration.ofSeconds(120))
                    .until(() -> holder().equals(Optional.of("leader")) || !leader.alive());
            assertThat(leader.alive()).as("the leader runs; log:%n%s", leader.logText()).isTrue();
            try (OperatorProcess standby = replica("standby").start()) {
                await().atMost(Duration.ofSeconds(120))
                        .until(() -> standby.logText().contains("New leader with identity: leader"));

                long sigterm = System.nanoTime();
                leader.terminate();
                assertThat(leader.awaitExit(Duration.ofSeconds(20)))
                        .as("the leader's JVM ends on SIGTERM; log:%n%s", leader.logText()).isTrue();
                Duration exit = Duration.ofNanos(System.nanoTime() - sigterm);
                await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
                        .until(() -> holder().equals(Optional.of("standby")));
                Duration failover = Duration.ofNanos(System.nanoTime() - sigterm);

                System.out.printf("leader exit after SIGTERM: %d ms; standby holds the Lease %d ms after SIGTERM"
                        + " (%d ms after the leader's exit)%n", exit.toMillis(), failover.toMillis(),
                        failover.minus(exit).toMillis());
                assertThat(failover).as("the Lease was released, not left to expire").isLessThan(WITHOUT_RELEASE);
                assertThat(leader.logText()).contains("Released the Lease " + NS + "/" + LEASE);
                assertThat(standby.alive()).isTrue();
            }
        }
    }

    @Test
    void aLeaderThatLosesItsLeaseWhileRunningExitsRatherThanReconcileBesideTheNewOne() throws Exception {
        try (OperatorProcess leader = replica("lost", STOLEN_NS).start()) {
            await().atMost(Duration.ofSeconds(120))
                    .until(() -> holder(STOLEN_NS).equals(Optional.of("lost")) || !leader.alive());
            // the leader renews every second: take the Lease from the version just read, again on a conflict
            await().atMost(Duration.ofSeconds(30)).ignoreException(KubernetesClientException.class).until(() -> {
                Lease lease = client.leases().inNamespace(STOLEN_NS).withName(LEASE).get();
                ZonedDateTime now = ZonedDateTime.now(ZoneOffset.UTC);
                lease.getSpec().setHolderIdentity("intruder");
                lease.getSpec().setAcquireTime(now);
                lease.getSpec().setRenewTime(now);
                return client.resource(lease).update() != null;
            });

            assertThat(leader.awaitExit(Duration.ofSeconds(20)))
                    .as("the replica that lost the Lease ends; log:%n%s", leader.logText()).isTrue();
            assertThat(leader.logText()).contains("Lost the leader Lease while running");
            assertThat(holder(STOLEN_NS)).as("the new holder's Lease is not released").contains("intruder");
        }
    }

    @Test
    void theReleaseClearsOnlyAHoldThatIsStillOurs() {
        Lease ours = client.resource(lease("released", "leader")).create();
        Lease theirs = client.resource(lease("taken", "standby")).create();

        assertThat(releaseAs("released", "leader")).isTrue();
        assertThat(releaseAs("taken", "leader")).isFalse();

        Lease released = client.leases().inNamespace(NS).withName("released").get();
        assertThat(released.getSpec().getHolderIdentity()).isNull();
        assertThat(released.getSpec().getLeaseTransitions()).isEqualTo(ours.getSpec().getLeaseTransitions());
        assertThat(client.leases().inNamespace(NS).withName("taken").get().getMetadata().getResourceVersion())
                .as("untouched").isEqualTo(theirs.getMetadata().getResourceVersion());
        assertThat(releaseAs("released", "leader")).as("nothing left to release").isFalse();
    }

    private static boolean releaseAs(String lease, String identity) {
        return new LeaseRelease(client, new LeaseHolder(NS, lease, identity), Clock.systemUTC()).release();
    }

    private static Lease lease(String name, String holder) {
        ZonedDateTime now = ZonedDateTime.now(ZoneOffset.UTC);
        return new LeaseBuilder().withNewMetadata().withName(name).withNamespace(NS).endMetadata()
                .withNewSpec().withHolderIdentity(holder).withLeaseDurationSeconds(15).withLeaseTransitions(3)
                .withAcquireTime(now).withRenewTime(now).endSpec().build();
    }

    private static OperatorProcess replica(String name) {
        return replica(name, NS);
    }

    private static OperatorProcess replica(String name, String leaseNamespace) {
        return new OperatorProcess(api.kubeconfig(), "lease-" + name, Map.of(
                "QUARKUS_PROFILE", "prod",
                "QUARKUS_OPERATOR_SDK_ACTIVATE_LEADER_ELECTION_FOR_PROFILES", "prod", // as application.properties
                "FINOPS_LEASE_NAMESPACE", leaseNamespace,
                "HOSTNAME", name));
    }

    private static Optional<String> holder() {
        return holder(NS);
    }

    private static Optional<String> holder(String namespace) {
        return Optional.ofNullable(client.leases().inNamespace(namespace).withName(LEASE).get())
                .map(Lease::getSpec).map(spec -> spec.getHolderIdentity());
    }
}
