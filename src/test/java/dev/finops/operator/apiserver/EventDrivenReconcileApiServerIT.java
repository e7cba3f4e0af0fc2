package dev.finops.operator.apiserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.finops.operator.GpuFixtures;
import dev.finops.operator.api.ExperimentBudget;
import dev.finops.operator.api.ExperimentBudgetStatus;
import io.fabric8.kubernetes.api.model.ContainerStateBuilder;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Reconciles come from cluster changes, not from the pass (10 minutes here): a pod that starts, ends or leaves a
 * selector reconciles the budgets it touches within seconds, the finished pod's whole cost is in the first status
 * written after it settles, and a pod of another namespace or selector reconciles none of them.
 */
@QuarkusTest
@TestProfile(EventDrivenProfile.class)
class EventDrivenReconcileApiServerIT {

    private static final String NS = "events";
    private static final String NODE = "evt-p4d";
    /** p4d.24xlarge on demand in the built-in catalog, 8 GPUs. */
    private static final BigInteger P4D_MICROS_PER_HOUR = BigInteger.valueOf(32_772_600);
    private static final Duration REACTION = Duration.ofSeconds(8);

    @Inject
    MeterRegistry meters;

    @BeforeAll
    static void cluster() {
        client().resource(new NamespaceBuilder().withNewMetadata().withName(NS).endMetadata().build()).create();
        client().resource(new NamespaceBuilder().withNewMetadata().withName("elsewhere").endMetadata().build())
                .create();
        client().resource(GpuFixtures.p4dNode(NODE, "on-demand", Map.of())).create();
    }

    @Test
    void aPodsStartAndEndReconcileItsBudgetAndTheEndIsWholeInTheFirstWriteAfterItSettles() {
        budget("sweep", "sweep-1");
        awaitStatus("sweep", status -> assertThat(status.getLedger()).isNotNull());

        Instant created = Instant.parse(client().resources(ExperimentBudget.class).inNamespace(NS).withName("sweep")
                .get().getMetadata().getCreationTimestamp());
        Instant start = created.minusSeconds(90);
        Pod pod = runningPod(NS, "trial-a", "sweep-1", start);
        // the start is heard at once: the budget lists the pod's workload and its rate long before any pass
        awaitStatus("sweep", status -> assertThat(status.getWorkloads()).singleElement()
                .satisfies(workload -> assertThat(workload.getName()).isEqualTo("trial-a")));

        Instant end = Instant.now().plusSeconds(1).truncatedTo(ChronoUnit.SECONDS);
        finish(pod, start, end);
        // cost counts from the budget's creation: floor(cost since start) - floor(cost before the creation)
        long whole = micros(Duration.between(start, end).getSeconds()) - micros(Duration.between(start, created)
                .getSeconds());
        awaitStatus("sweep", status -> assertThat(status.getLedger().getSpentMicros()).isEqualTo(whole));
    }

    @Test
    void aPodReconcilesOnlyTheBudgetsWhoseSelectorItMatchesBeforeOrAfter() {
        budget("left", "left-1");
        budget("joined", "joined-1");
        awaitStatus("left", status -> assertThat(status.getLedger()).isNotNull());
        awaitStatus("joined", status -> assertThat(status.getLedger()).isNotNull());
        double before = mappedBudgets();
        long eventsBefore = podEvents();

        runningPod("elsewhere", "unrelated", "left-1", Instant.now().minusSeconds(30));
        await().atMost(REACTION).until(() -> podEvents() > eventsBefore);
        assertThat(mappedBudgets()).as("a pod of another namespace wakes no budget").isEqualTo(before);

        Pod pod = runningPod(NS, "moving", "left-1", Instant.now().minusSeconds(60).truncatedTo(ChronoUnit.SECONDS));
        awaitStatus("left", status -> assertThat(status.getWorkloads()).isNotEmpty());
        double afterStart = mappedBudgets();

        client().pods().inNamespace(NS).withName(pod.getMetadata().getName())
                .edit(p -> new PodBuilder(p).editMetadata().addToLabels("experiment", "joined-1").endMetadata().build());
        awaitStatus("joined", status -> assertThat(status.getWorkloads()).isNotEmpty());
        await().atMost(REACTION).untilAsserted(() -> assertThat(mappedBudgets() - afterStart)
                .as("the relabel wakes the budget it left and the one it joined, and no other").isEqualTo(2.0));
    }

    private double mappedBudgets() {
        return meters.find("finops.event.primaries").tag("controller", "ExperimentBudget").tag("change", "pod")
                .summaries().stream().mapToDouble(summary -> summary.totalAmount()).sum();
    }

    private long podEvents() {
        return meters.find("finops.event.primaries").tag("controller", "ExperimentBudget").tag("change", "pod")
                .summaries().stream().mapToLong(summary -> summary.count()).sum();
    }

    /** floor(price / 8 GPUs x seconds), as the ground truth of the E2E suite computes it. */
    private static long micros(long seconds) {
        return P4D_MICROS_PER_HOUR.multiply(BigInteger.valueOf(seconds)).divide(BigInteger.valueOf(8 * 3600))
                .longValueExact();
    }

    private static void budget(String name, String experiment) {
        ExperimentBudget budget = client().getKubernetesSerialization().unmarshal("""
                apiVersion: finops.dev/v1alpha1
                kind: ExperimentBudget
                metadata: {name: %s, namespace: %s}
                spec:
                  team: research
                  limit: "1000"
                  period: Total
                  selector: {matchLabels: {experiment: %s}}
                """.formatted(name, NS, experiment), ExperimentBudget.class);
        client().resource(budget).create();
    }

    private static Pod runningPod(String namespace, String name, String experiment, Instant start) {
        Pod pod = client().resource(new PodBuilder().withNewMetadata().withName(name).withNamespace(namespace)
                .addToLabels("experiment", experiment).endMetadata()
                .withNewSpec().withNodeName(NODE).addNewContainer().withName("train").withImage("trainer")
                .withNewResources().addToRequests("nvidia.com/gpu", new Quantity("1"))
                .addToLimits("nvidia.com/gpu", new Quantity("1")).endResources().endContainer().endSpec()
                .build()).create();
        pod.setStatus(new io.fabric8.kubernetes.api.model.PodStatusBuilder().withPhase("Running")
                .withStartTime(start.toString()).addToContainerStatuses(new ContainerStatusBuilder().withName("train")
                        .withImage("trainer").withImageID("").withReady(true).withRestartCount(0)
                        .withState(new ContainerStateBuilder().withNewRunning().withStartedAt(start.toString())
                                .endRunning().build()).build())
                .build());
        return client().resource(pod).updateStatus();
    }

    private static void finish(Pod pod, Instant start, Instant end) {
        Pod current = client().pods().inNamespace(pod.getMetadata().getNamespace())
                .withName(pod.getMetadata().getName()).get();
        current.getStatus().setPhase("Succeeded");
        current.getStatus().getContainerStatuses().get(0).setReady(false);
        current.getStatus().getContainerStatuses().get(0).setState(new ContainerStateBuilder().withNewTerminated()
                .withExitCode(0).withReason("Completed").withStartedAt(start.toString())
                .withFinishedAt(end.toString()).endTerminated().build());
        client().resource(current).updateStatus();
    }

    private static void awaitStatus(String budget, java.util.function.Consumer<ExperimentBudgetStatus> check) {
        await().atMost(REACTION).untilAsserted(() -> {
            ExperimentBudget stored = client().resources(ExperimentBudget.class).inNamespace(NS).withName(budget).get();
            assertThat(stored.getStatus()).isNotNull();
            check.accept(stored.getStatus());
        });
    }

    private static KubernetesClient client() {
        return RealApiServerResource.api().client();
    }
}
