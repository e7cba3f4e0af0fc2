package dev.finops.operator.bench;

import dev.finops.operator.FreePorts;
import dev.finops.operator.api.ExperimentBudget;
import dev.finops.operator.e2e.LocalCluster;
import dev.finops.operator.e2e.OperatorProcess;
import io.fabric8.kubernetes.api.model.ContainerStateBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * How fast the operator reacts through its event sources, on the local cluster (real API server, kwok running the
 * pods) loaded with many budgets and GPU pods, with the pass timer set far above every reaction measured:
 * <ol>
 * <li>ledger: from a pod's finishedAt to the first status write of its budget whose watermark covers that end
 * (so its whole cost is in the ledger); the settle delay is part of it by design;</li>
 * <li>enforcement: from a Deployment's creation under an exhausted, enforcing budget to its scale to zero;</li>
 * <li>fan-out: how many budgets one pod event reconciled (the operator's finops_event_primaries);</li>
 * <li>API traffic: the API server's own request counts for the operator's resources, with the pods running
 * and with nothing running at the default 30 s pass.</li>
 * </ol>
 * <pre>hack/bench.sh reaction [budgets] [pods-per-budget] [samples]</pre>
 */
public final class ReactionBenchmark {

    private static final String SETTLE = "2s";
    private static final String ENFORCED_NS = "bench-enforced";

    private final LocalCluster cluster = LocalCluster.get();
    private final KubernetesClient client = cluster.client();
    private final Map<String, Instant> firstWholeWrite = new ConcurrentHashMap<>();
    private final Map<String, Instant> waitingFor = new ConcurrentHashMap<>();
    private final int metricsPort = FreePorts.next();

    public static void main(String[] args) throws Exception {
        int budgets = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        int perBudget = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        int samples = args.length > 2 ? Integer.parseInt(args[2]) : 50;
        new ReactionBenchmark().run(budgets, perBudget, samples);
        System.exit(0);
    }

    private void run(int budgets, int perBudget, int samples) throws Exception {
        int pods = budgets * perBudget;
        int nodes = (pods + ClusterLoad.GPUS_PER_NODE - 1) / ClusterLoad.GPUS_PER_NODE + 1;
        cluster.installCrds();
        ClusterLoad load = new ClusterLoad(client, 10);
        Stopwatch watch = new Stopwatch();
        load.namespaces();
        cluster.namespace(ENFORCED_NS);
        load.nodes(nodes);
        load.budgets(budgets, "1000000");
        load.pods(budgets, perBudget, nodes);
        System.out.printf("loaded %d nodes, %d budgets, %d GPU pods in %s%n", nodes, budgets, pods, watch.lap());
        load.awaitRunning(pods, Duration.ofMinutes(30));
        System.out.printf("all %d pods running after %s more%n", pods, watch.lap());

        try (OperatorProcess operator = operator("reaction", "1h")) {
            awaitEveryBudgetCounted(budgets, Duration.ofMinutes(10));
            System.out.printf("operator started; every budget counted its pods after %s%n", watch.lap());
            List<Long> ledger = ledgerReactions(load, budgets, perBudget, samples);
            List<Long> enforcement = enforcementReactions(load, Math.max(5, samples / 5));
            Metrics fanOut = Metrics.scrape(metricsPort);
            Map<String, Long> before = ApiServerRequests.snapshot(client);
            Thread.sleep(60_000);
            Map<String, Long> quiet = ApiServerRequests.between(before, ApiServerRequests.snapshot(client),
                    "experimentbudgets", "gpupools");
            System.out.println();
            System.out.printf("ledger reaction (finishedAt -> first whole write, settle %s): %s%n", SETTLE,
                    Percentiles.of(ledger));
            System.out.printf("enforcement reaction (Deployment created -> scaled to 0): %s%n",
                    Percentiles.of(enforcement));
            System.out.printf("budgets reconciled per pod event: %.2f (%d pod events)%n", fanOut.primariesPerPodEvent(),
                    fanOut.podEvents());
            System.out.printf("operator's resources, one quiet minute with %d pods running, pass 1h: %s%n", pods, quiet);
        }
        Instant ended = endAll();
        try (OperatorProcess operator = operator("steady", "30s")) {
            // steady means after the restarted operator has written every ended pod's whole cost, and one pass more
            awaitEveryLedgerPast(ended, Duration.ofMinutes(10));
            System.out.printf("restarted operator: every ledger past the pods' end after %s%n", watch.lap());
            Thread.sleep(35_000);
            Map<String, Long> before = ApiServerRequests.snapshot(client);
            Thread.sleep(120_000);
            System.out.printf("operator's resources, two minutes with nothing running, pass 30s: %s%n",
                    ApiServerRequests.between(before, ApiServerRequests.snapshot(client), "experimentbudgets",
                            "gpupools", "pods", "nodes", "configmaps"));
        }
    }

    private OperatorProcess operator(String name, String pass) {
        return new OperatorProcess(cluster, "bench-" + name, Map.of("FINOPS_PASS_INTERVAL", pass,
                "FINOPS_ACCRUAL_SETTLE_DELAY", SETTLE, "QUARKUS_HTTP_PORT", Integer.toString(metricsPort))).start();
    }

    /** Ends one pod in each of {@code samples} budgets, a moment apart, and times its budget's first whole write. */
    private List<Long> ledgerReactions(ClusterLoad load, int budgets, int perBudget, int samples) throws Exception {
        List<Long> reactions = new ArrayList<>();
        try (Watch ignored = client.resources(ExperimentBudget.class).inAnyNamespace().watch(new WholeWrites())) {
            for (int s = 0; s < samples; s++) {
                int budget = (int) ((long) s * budgets / samples);
                String key = load.namespaceOfBudget(budget) + "/b-" + budget;
                Instant end = Instant.now().truncatedTo(ChronoUnit.SECONDS);
                waitingFor.put(key, end);
                finish(load.namespaceOfBudget(budget), "b-" + budget + "-0", end);
                Thread.sleep(300);
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (firstWholeWrite.size() < samples && System.nanoTime() < deadline) {
                Thread.sleep(200);
            }
            waitingFor.forEach((key, end) -> {
                Instant seen = firstWholeWrite.get(key);
                reactions.add(seen == null ? Long.MAX_VALUE : Duration.between(end, seen).toMillis());
            });
        }
        return reactions;
    }

    private final class WholeWrites implements Watcher<ExperimentBudget> {
        @Override
        public void eventReceived(Action action, ExperimentBudget budget) {
            Instant now = Instant.now();
            String key = budget.getMetadata().getNamespace() + "/" + budget.getMetadata().getName();
            Instant end = waitingFor.get(key);
            if (end != null && budget.getStatus() != null && budget.getStatus().getLedger() != null
                    && !Instant.parse(budget.getStatus().getLedger().getAccruedUntil()).isBefore(end)) {
                firstWholeWrite.putIfAbsent(key, now);
            }
        }

        @Override
        public void onClose(WatcherException cause) {
        }
    }

    /** Exhausts enforcing budgets with a pod each, then times new Deployments under them until each is stopped. */
    private List<Long> enforcementReactions(ClusterLoad load, int count) throws Exception {
        for (int i = 0; i < count; i++) {
            client.resource(load.budget(ENFORCED_NS, "e-" + i, "e-" + i, "0.01",
                    "{action: Suspend, gracePeriod: 0s}")).create();
            client.resource(ClusterLoad.pod(ENFORCED_NS, "e-" + i + "-first", "e-" + i, ClusterLoad.nodeName(0)))
                    .create();
        }
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
        while (!allExceeded(count) && System.nanoTime() < deadline) {
            Thread.sleep(500);
        }
        Map<String, Instant> created = new ConcurrentHashMap<>();
        Map<String, Instant> stopped = new ConcurrentHashMap<>();
        try (Watch ignored = client.apps().deployments().inNamespace(ENFORCED_NS).watch(new Watcher<>() {
            @Override
            public void eventReceived(Action action, Deployment deployment) {
                if (Integer.valueOf(0).equals(deployment.getSpec().getReplicas())) {
                    stopped.putIfAbsent(deployment.getMetadata().getName(), Instant.now());
                }
            }

            @Override
            public void onClose(WatcherException cause) {
            }
        })) {
            for (int i = 0; i < count; i++) {
                created.put("late-" + i, Instant.now());
                client.resource(deployment("late-" + i, "e-" + i)).create();
                Thread.sleep(500);
            }
            deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (stopped.size() < count && System.nanoTime() < deadline) {
                Thread.sleep(200);
            }
        }
        List<Long> reactions = new ArrayList<>();
        created.forEach((name, at) -> {
            Instant seen = stopped.get(name);
            reactions.add(seen == null ? Long.MAX_VALUE : Duration.between(at, seen).toMillis());
        });
        return reactions;
    }

    private boolean allExceeded(int count) {
        return client.resources(ExperimentBudget.class).inNamespace(ENFORCED_NS).list().getItems().stream()
                .filter(b -> b.getStatus() != null && b.getStatus().getPhase() != null
                        && b.getStatus().getPhase().name().matches("Exceeded|Enforced"))
                .count() >= count;
    }

    private static Deployment deployment(String name, String budget) {
        Pod template = ClusterLoad.pod(ENFORCED_NS, name, budget, null);
        return new DeploymentBuilder().withNewMetadata().withName(name).withNamespace(ENFORCED_NS).endMetadata()
                .withNewSpec().withReplicas(1).withNewSelector().addToMatchLabels(ClusterLoad.BUDGET_LABEL, budget)
                .addToMatchLabels("app", name).endSelector()
                .withNewTemplate().withNewMetadata().addToLabels(ClusterLoad.BUDGET_LABEL, budget)
                .addToLabels("app", name).endMetadata()
                .withSpec(new io.fabric8.kubernetes.api.model.PodSpecBuilder(template.getSpec())
                        .withNodeSelector(Map.of("bench", "true")).build())
                .endTemplate().endSpec().build();
    }

    private void finish(String namespace, String name, Instant end) {
        Pod pod = client.pods().inNamespace(namespace).withName(name).get();
        String start = pod.getStatus().getStartTime();
        pod.getStatus().setPhase("Succeeded");
        pod.getStatus().getContainerStatuses().forEach(status -> {
            status.setReady(false);
            status.setState(new ContainerStateBuilder().withNewTerminated().withExitCode(0).withReason("Completed")
                    .withStartedAt(start).withFinishedAt(end.toString()).endTerminated().build());
        });
        client.resource(pod).updateStatus();
    }

    private Instant endAll() {
        List<Pod> running = client.pods().inAnyNamespace().withLabel(ClusterLoad.BUDGET_LABEL)
                .withField("status.phase", "Running").list().getItems();
        Instant end = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        ClusterLoad.parallel(running.size(), i -> finish(running.get(i).getMetadata().getNamespace(),
                running.get(i).getMetadata().getName(), end));
        System.out.printf("%d pods ended%n", running.size());
        return end;
    }

    private void awaitEveryLedgerPast(Instant end, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            boolean all = client.resources(ExperimentBudget.class).inAnyNamespace().list().getItems().stream()
                    .allMatch(b -> b.getStatus() != null && b.getStatus().getLedger() != null
                            && !Instant.parse(b.getStatus().getLedger().getAccruedUntil()).isBefore(end));
            if (all) {
                return;
            }
            Thread.sleep(2000);
        }
        throw new IllegalStateException("not every ledger reached " + end + " within " + timeout);
    }

    private void awaitEveryBudgetCounted(int budgets, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            long counted = client.resources(ExperimentBudget.class).inAnyNamespace().list().getItems().stream()
                    .filter(b -> b.getMetadata().getName().startsWith("b-") && b.getStatus() != null
                            && b.getStatus().getWorkloads() != null && !b.getStatus().getWorkloads().isEmpty())
                    .count();
            if (counted >= budgets) {
                return;
            }
            Thread.sleep(1000);
        }
        throw new IllegalStateException("not every budget counted its pods within " + timeout);
    }

    private static final class Stopwatch {
        private long last = System.nanoTime();

        String lap() {
            long now = System.nanoTime();
            String took = String.format("%.1f s", (now - last) / 1e9);
            last = now;
            return took;
        }
    }
}
