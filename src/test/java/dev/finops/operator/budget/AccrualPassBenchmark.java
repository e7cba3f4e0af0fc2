package dev.finops.operator.budget;

import dev.finops.operator.api.BudgetPeriod;
import dev.finops.operator.api.ExperimentBudgetSpec;
import dev.finops.operator.api.ExperimentBudgetStatus;
import dev.finops.operator.cluster.PodIndex;
import dev.finops.operator.cost.HourlyRate;
import dev.finops.operator.cost.NodePriceBook;
import dev.finops.operator.cost.PodCharges;
import dev.finops.operator.model.CapacityType;
import dev.finops.operator.model.GpuNode;
import dev.finops.operator.model.GpuPod;
import dev.finops.operator.model.LabelSelectorMatcher;
import dev.finops.operator.model.NodeGpus;
import dev.finops.operator.model.WorkloadKey;
import dev.finops.operator.pricing.PriceCatalog;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One accrual pass over 50,000 GPU pods on 5,000 nodes for 2,000 budgets, exactly as the reconciler does it
 * per budget (indexed selection, pricing, anchored accrual, status), against the floor: a bare loop doing
 * only the accrual arithmetic over the same pods. Run with {@code hack/bench.sh}.
 */
public final class AccrualPassBenchmark {

    static final int NODES = 5_000;
    static final int PODS = 50_000;
    static final int BUDGETS = 2_000;
    static final int NAMESPACES = 500;

    public static void main(String[] args) {
        int iterations = args.length > 0 ? Integer.parseInt(args[0]) : 30;
        Instant created = Instant.parse("2026-11-01T00:00:00Z");
        Instant now = Instant.parse("2026-11-20T12:00:00Z");
        PriceCatalog catalog = dev.finops.operator.cluster.PriceCatalogSource.loadBuiltIn();

        Map<String, GpuNode> nodes = new HashMap<>();
        String[] types = {"p4d.24xlarge", "p5.48xlarge", "g5.48xlarge", "g6e.48xlarge"};
        for (int n = 0; n < NODES; n++) {
            String name = "node-" + n;
            nodes.put(name, new GpuNode(name, Map.of(), types[n % types.length],
                    n % 3 == 0 ? CapacityType.SPOT : CapacityType.ON_DEMAND,
                    NodeGpus.of(Map.of("nvidia.com/gpu", 8L), Map.of())));
        }
        NodePriceBook book = NodePriceBook.build(nodes.values(), List.of(), catalog);

        PodIndex index = new PodIndex();
        List<GpuPod> all = new ArrayList<>(PODS);
        for (int p = 0; p < PODS; p++) {
            String namespace = "ns-" + (p % NAMESPACES);
            String team = "team-" + (p / NAMESPACES % (BUDGETS / NAMESPACES));
            Instant start = created.plus(Duration.ofMinutes(p % 20_000));
            Instant end = p % 5 == 0 ? start.plus(Duration.ofHours(3)) : null;
            GpuPod pod = new GpuPod("uid-" + p, namespace, "pod-" + p,
                    Map.of("team", team, "app", "train-" + (p % 97), "pod-template-hash", "abc" + p),
                    "node-" + (p % NODES), new WorkloadKey("Job", "job-" + (p % 1_000)), "batch/v1", start, end,
                    Map.of("nvidia.com/gpu", 1L + p % 2));
            index.put(pod);
            all.add(pod);
        }

        List<Budget> budgets = new ArrayList<>();
        for (int b = 0; b < BUDGETS; b++) {
            ExperimentBudgetSpec spec = new ExperimentBudgetSpec();
            spec.setLimit(new IntOrString("250000"));
            spec.setPeriod(BudgetPeriod.Monthly);
            spec.setTimeZone("Europe/Paris");
            String team = "team-" + (b % (BUDGETS / NAMESPACES));
            spec.setSelector(new LabelSelectorBuilder().addToMatchLabels("team", team).build());
            budgets.add(new Budget("ns-" + (b / (BUDGETS / NAMESPACES)), spec,
                    LabelSelectorMatcher.compile("spec.selector", spec.getSelector())));
        }

        Instant from = now.minusSeconds(30);
        long sink = 0;
        long[] passNanos = new long[iterations];
        long[] floorNanos = new long[iterations];
        long[] passBytes = new long[iterations];
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        for (int i = -10; i < iterations; i++) {
            long bytes = threads.getCurrentThreadAllocatedBytes();
            long t0 = System.nanoTime();
            for (Budget budget : budgets) {
                sink += pass(budget, index, nodes, book, created, now);
            }
            long t1 = System.nanoTime();
            long allocated = threads.getCurrentThreadAllocatedBytes() - bytes;
            long t2 = System.nanoTime();
            sink += floor(all, nodes, book, from, now);
            long t3 = System.nanoTime();
            if (i >= 0) {
                passNanos[i] = t1 - t0;
                floorNanos[i] = t3 - t2;
                passBytes[i] = allocated;
            }
        }
        Arrays.sort(passNanos);
        Arrays.sort(floorNanos);
        Arrays.sort(passBytes);
        double pass = passNanos[iterations / 2] / 1e6;
        double floor = floorNanos[iterations / 2] / 1e6;
        System.out.printf("pods=%d nodes=%d budgets=%d iterations=%d (median; sink %d)%n", PODS, NODES, BUDGETS,
                iterations, sink % 10);
        System.out.printf("accrual pass: %.2f ms (min %.2f, max %.2f), allocated %.1f MB per pass%n", pass,
                passNanos[0] / 1e6, passNanos[iterations - 1] / 1e6, passBytes[iterations / 2] / 1e6);
        System.out.printf("floor (bare loop pricing and accruing the same pods): %.2f ms%n", floor);
        System.out.printf("ratio pass/floor: %.2f%n", pass / floor);
    }

    private record Budget(String namespace, ExperimentBudgetSpec spec, LabelSelectorMatcher selector) {
    }

    /** What the reconciler does for one budget, minus the API call. */
    private static long pass(Budget budget, PodIndex index, Map<String, GpuNode> nodes, NodePriceBook book,
            Instant created, Instant now) {
        PodCharges.Result charges = PodCharges.of(index.select(budget.namespace(), budget.selector()), nodes, book);
        ExperimentBudgetStatus status = new ExperimentBudgetStatus();
        BudgetCostStatus.apply(status, new BudgetInputs(budget.spec(), created, 1L, charges.charges(), 0, Set.of(),
                null, now, now));
        return status.getLedger().getSpentMicros();
    }

    /** The least any pass must do: price every pod on its node and accrue it, with no budgets at all. */
    private static long floor(List<GpuPod> pods, Map<String, GpuNode> nodes, NodePriceBook book, Instant from,
            Instant to) {
        long total = 0;
        for (GpuPod pod : pods) {
            GpuNode node = nodes.get(pod.nodeName());
            HourlyRate rate = HourlyRate.of(book.rateOf(node.name()).orElseThrow().microsPerHour(),
                    node.gpus().shareOf(pod.gpuRequests()));
            long anchor = pod.start().toEpochMilli();
            long a = Math.max(anchor, from.toEpochMilli());
            long b = pod.end() == null ? to.toEpochMilli() : Math.min(pod.end().toEpochMilli(), to.toEpochMilli());
            if (b > a) {
                total += rate.cumulative(b - anchor) - rate.cumulative(a - anchor);
            }
        }
        return total;
    }

    private AccrualPassBenchmark() {
    }
}
