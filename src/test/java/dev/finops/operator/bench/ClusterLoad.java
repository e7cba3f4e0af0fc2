package dev.finops.operator.bench;

import dev.finops.operator.GpuFixtures;
import dev.finops.operator.api.ExperimentBudget;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntConsumer;

/**
 * Loads the local cluster for a benchmark: kwok-run p4d GPU nodes, budgets spread over namespaces (each selecting
 * its own pods by the label {@code bench-budget}), and one-GPU pods bound straight to the nodes (kwok runs them),
 * created with a few parallel clients so that tens of thousands of objects take minutes, not hours.
 */
final class ClusterLoad {

    static final String BUDGET_LABEL = "bench-budget";
    static final int GPUS_PER_NODE = 8;
    private static final int PARALLEL = 16;

    private final KubernetesClient client;
    private final int namespaces;

    ClusterLoad(KubernetesClient client, int namespaces) {
        this.client = client;
        this.namespaces = namespaces;
    }

    static String namespace(int index) {
        return "bench-" + index;
    }

    String namespaceOfBudget(int budget) {
        return namespace(budget % namespaces);
    }

    static String nodeName(int index) {
        return "bench-p4d-" + index;
    }

    void nodes(int count) {
        parallel(count, i -> client.resource(GpuFixtures.p4dNode(nodeName(i), "on-demand", Map.of("bench", "true")))
                .createOr(existing -> existing.update()));
    }

    void budgets(int count, String limit) {
        parallel(count, i -> client.resource(budget(namespaceOfBudget(i), "b-" + i, "b-" + i, limit, null))
                .create());
    }

    /** A Total budget in {@code namespace} over the pods labelled {@code bench-budget=<selects>}. */
    ExperimentBudget budget(String namespace, String name, String selects, String limit, String enforcement) {
        return client.getKubernetesSerialization().unmarshal("""
                apiVersion: finops.dev/v1alpha1
                kind: ExperimentBudget
                metadata: {name: %s, namespace: %s}
                spec:
                  team: bench
                  limit: "%s"
                  period: Total
                  selector: {matchLabels: {%s: %s}}
                %s""".formatted(name, namespace, limit, BUDGET_LABEL, selects,
                enforcement == null ? "" : "  enforcement: " + enforcement + "\n"), ExperimentBudget.class);
    }

    /** {@code perBudget} pods for each of {@code budgets}, spread over {@code nodes} nodes, 8 to a node. */
    void pods(int budgets, int perBudget, int nodes) {
        parallel(budgets * perBudget, i -> {
            int budget = i / perBudget;
            client.resource(pod(namespaceOfBudget(budget), "b-" + budget + "-" + (i % perBudget), "b-" + budget,
                    nodeName((i / GPUS_PER_NODE) % nodes))).create();
        });
    }

    static Pod pod(String namespace, String name, String budget, String node) {
        return new PodBuilder().withNewMetadata().withName(name).withNamespace(namespace)
                .addToLabels(BUDGET_LABEL, budget).endMetadata()
                .withNewSpec().withNodeName(node)
                .addNewToleration().withOperator("Exists").endToleration()
                .addNewContainer().withName("train").withImage("trainer")
                .withNewResources().addToRequests("nvidia.com/gpu", new Quantity("1"))
                .addToLimits("nvidia.com/gpu", new Quantity("1")).endResources().endContainer().endSpec().build();
    }

    void namespaces() {
        parallel(namespaces, i -> client.resource(new io.fabric8.kubernetes.api.model.NamespaceBuilder()
                .withNewMetadata().withName(namespace(i)).endMetadata().build()).serverSideApply());
    }

    /** Runs {@code create} for 0..count-1 on a few threads; any failure fails the whole load. */
    static void parallel(int count, IntConsumer create) {
        ExecutorService pool = Executors.newFixedThreadPool(PARALLEL);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                int index = i;
                futures.add(pool.submit(() -> create.accept(index)));
            }
            for (Future<?> future : futures) {
                future.get();
            }
        } catch (Exception e) {
            throw new IllegalStateException("loading the cluster failed", e);
        } finally {
            pool.shutdownNow();
        }
    }

    /** Polls until {@code count} pods of the bench namespaces run (kwok starts them a few seconds after create). */
    long awaitRunning(int count, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        long running = 0;
        while (System.nanoTime() < deadline) {
            running = client.pods().inAnyNamespace().withField("status.phase", "Running")
                    .withLabel(BUDGET_LABEL).list().getItems().size();
            if (running >= count) {
                return running;
            }
            Thread.sleep(2000);
        }
        throw new IllegalStateException(running + " of " + count + " pods running after " + timeout);
    }
}
