package dev.finops.operator.idle;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.finops.operator.FreePorts;
import dev.finops.operator.api.IdleMetric;
import dev.finops.operator.model.GpuPod;
import dev.finops.operator.model.WorkloadKey;
import java.io.BufferedWriter;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * The idle detection of one pool pass at scale, against a real Prometheus: 5,000 GPU pods (625 nodes × 8 GPUs,
 * one pod per GPU, 8 pods per Deployment; 10% of the Deployments idle at ~1%, 20% at 5–15%, the rest busy) whose
 * {@code DCGM_FI_PROF_GR_ENGINE_ACTIVE} series, one sample every 15 s over the last 70 minutes, are backfilled
 * with {@code promtool tsdb create-blocks-from openmetrics} into the TSDB of a local {@code prometheus} (the installer's, first on PATH).
 *
 * <p>Measures (median and p90 of N iterations after a warm-up) the latency of the operator's one batched query,
 * through its own {@link PrometheusClient} and {@link IdleQuery}, for a pool of all 625 nodes and a pool of a
 * tenth of them, over 30m and 1h windows; and the decision time of {@link IdleRules#evaluate} over the 5,000 pods
 * with the usage the query returned. Checks that the rules find exactly the idle Deployments the generator
 * planted, and no rightsizing advice (every pod asks for one GPU), and exits non-zero when they do not.
 *
 * <p>Run with {@code hack/bench.sh idle [iterations]} (default 20). Needs Prometheus and promtool (Debian's
 * {@code prometheus} package, 2.42) and about 0.5 GB of temporary disk space.
 */
public final class IdleQueryBenchmark {

    static final int NODES = 625;
    static final int GPUS_PER_NODE = 8;
    static final int PODS = NODES * GPUS_PER_NODE;
    static final int PODS_PER_WORKLOAD = 8;
    static final int WORKLOADS = PODS / PODS_PER_WORKLOAD;
    static final int NAMESPACES = 25;
    static final IdleMetric METRIC = IdleMetric.DCGM_FI_PROF_GR_ENGINE_ACTIVE;
    static final Duration SCRAPE_INTERVAL = Duration.ofSeconds(15);
    /** The longest window measured, plus ten minutes so it is still covered when the backfill is slow. */
    static final Duration HISTORY = Duration.ofMinutes(70);
    static final Duration LAST_SAMPLE_AGO = Duration.ofMinutes(1);
    static final Duration POD_AGE = Duration.ofHours(2);
    /** The IdlePolicy default. */
    static final double THRESHOLD_PERCENT = 5;
    static final List<Duration> WINDOWS = List.of(Duration.ofMinutes(30), Duration.ofHours(1));
    static final long GPU_HOUR_MICROS = 4_096_575;
    static final int WARM_UP_QUERIES = 3;
    static final int WARM_UP_EVALUATIONS = 50;

    private static final ObjectMapper JSON = new ObjectMapper();

    /** What a Deployment's GPUs do, as a GR_ENGINE_ACTIVE ratio drawn uniformly from [low, high). */
    enum Load {
        IDLE(0.005, 0.015), LOW(0.05, 0.15), BUSY(0.40, 0.95);

        final double low;
        final double high;

        Load(double low, double high) {
            this.low = low;
            this.high = high;
        }

        /** One Deployment in ten idle, two in ten barely used, the rest busy. */
        static Load of(int workload) {
            int decile = workload % 10;
            return decile == 0 ? IDLE : decile <= 2 ? LOW : BUSY;
        }

        double sample(Random random) {
            return low + random.nextDouble() * (high - low);
        }
    }

    /** A generated pod on one GPU of one node, with what its GPU does. */
    record PlantedPod(int index, String node, int gpu, String namespace, String deployment, String templateHash,
            String name, Load load) {

        String key() {
            return namespace + "/" + name;
        }

        GpuPod toGpuPod(Instant start) {
            return new GpuPod("uid-" + index, namespace, name, Map.of("app", deployment, "pod-template-hash",
                    templateHash), node, new WorkloadKey("Deployment", deployment), "apps/v1", start, null,
                    Map.of("nvidia.com/gpu", 1L));
        }
    }

    /** A pool whose idle query is measured. */
    record Pool(String name, List<String> nodes) {
    }

    /** The usage one real query returned, and when. */
    record Evidence(Duration window, Map<String, GpuUsage> usage, Instant queriedAt) {
    }

    public static void main(String[] args) throws Exception {
        int iterations = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        Path dir = Files.createTempDirectory("idle-query-bench");
        List<String> problems;
        try {
            problems = run(iterations, dir);
        } finally {
            deleteRecursively(dir);
        }
        if (!problems.isEmpty()) {
            System.err.println("FAILED: the rules did not find what the generator planted:");
            problems.forEach(problem -> System.err.println("  " + problem));
            System.exit(1);
        }
        System.out.println("checks passed: the rules found exactly what the generator planted");
    }

    private static List<String> run(int iterations, Path dir) throws Exception {
        System.out.printf("machine: %d cores, Java %s; %d pods on %d nodes, %d Deployments, %d iterations%n",
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"), PODS, NODES,
                WORKLOADS, iterations);
        Instant generatedAt = Instant.now();
        List<String> nodes = nodeNames();
        List<PlantedPod> planted = plant(nodes);

        Path openMetrics = dir.resolve("dcgm.om.txt");
        long t0 = System.nanoTime();
        long samples = writeOpenMetrics(openMetrics, planted, generatedAt.minus(LAST_SAMPLE_AGO));
        System.out.printf("generated %,d samples (%,d MB of OpenMetrics) in %.1f s%n", samples,
                Files.size(openMetrics) >> 20, seconds(System.nanoTime() - t0));

        Path tsdb = dir.resolve("tsdb");
        t0 = System.nanoTime();
        backfill(openMetrics, tsdb);
        System.out.printf("backfill (promtool tsdb create-blocks-from openmetrics): %.1f s%n",
                seconds(System.nanoTime() - t0));
        Files.delete(openMetrics);

        try (LocalPrometheus prometheus = LocalPrometheus.start(tsdb, dir)) {
            PrometheusClient client = new PrometheusClient(HttpClient.newHttpClient(), prometheus.url(),
                    Optional.empty(), Duration.ofSeconds(60));
            // First, while the last sample is freshest: the evidence the rules decide on.
            List<Evidence> evidence = new ArrayList<>();
            for (Duration window : WINDOWS) {
                Map<String, GpuUsage> usage = usage(client, window, nodes);
                evidence.add(new Evidence(window, usage, Instant.now()));
            }
            System.out.printf("evidence queried %d s after the last planted sample%n", Duration.between(
                    generatedAt.minus(LAST_SAMPLE_AGO), evidence.get(0).queriedAt()).toSeconds());
            List<String> problems = new ArrayList<>();
            List<GpuPod> pods = planted.stream().map(pod -> pod.toGpuPod(generatedAt.minus(POD_AGE))).toList();
            System.out.println();
            System.out.println("IdleRules.evaluate over " + pods.size() + " pods (usage from the real query)");
            System.out.printf("%-6s %10s %12s %7s %12s %10s %8s%n", "window", "idle found", "idle planted",
                    "advice", "no evidence", "median ms", "p90 ms");
            for (Evidence e : evidence) {
                problems.addAll(measureEvaluate(e, pods, planted, iterations));
            }

            List<Pool> pools = List.of(new Pool("all nodes", nodes), new Pool("1/10 of the nodes",
                    IntStream.range(0, NODES).filter(n -> n % 10 == 0).mapToObj(nodes::get).toList()));
            System.out.println();
            System.out.println("idle query through PrometheusClient.usage (one POST /api/v1/query per pass); query and"
                    + " response: sizes of the POST body and the JSON answer; samples and server ms: Prometheus's own"
                    + " stats=all totalQueryableSamples and execTotalTime");
            System.out.printf("%-18s %6s %6s %5s %6s %7s %9s %11s %10s %10s %8s%n", "pool", "window", "nodes",
                    "pods", "series", "query", "response", "samples", "server ms", "median ms", "p90 ms");
            for (Pool pool : pools) {
                for (Duration window : WINDOWS) {
                    problems.addAll(measureQuery(client, prometheus.url(), pool, window, planted, iterations));
                }
            }
            return problems;
        }
    }

    // ---- the generated fleet ----

    static List<String> nodeNames() {
        return IntStream.range(0, NODES).mapToObj(n -> "ip-10-1-" + (n / 250) + "-" + (n % 250 + 4) + ".ec2.internal")
                .toList();
    }

    /** Pod p on GPU p % 8 of node p / 8, in Deployment p % 625: each Deployment's 8 pods on 8 nodes. */
    static List<PlantedPod> plant(List<String> nodes) {
        List<PlantedPod> pods = new ArrayList<>(PODS);
        for (int p = 0; p < PODS; p++) {
            int workload = p % WORKLOADS;
            String deployment = String.format(Locale.ROOT, "train-%04d", workload);
            String templateHash = kubeName(new Random(workload).nextLong() >>> 1, 10);
            pods.add(new PlantedPod(p, nodes.get(p / GPUS_PER_NODE), p % GPUS_PER_NODE,
                    String.format(Locale.ROOT, "ml-team-%02d", workload % NAMESPACES), deployment, templateHash,
                    deployment + "-" + templateHash + "-" + kubeName(p, 5), Load.of(workload)));
        }
        return pods;
    }

    /** {@code value} in the alphabet Kubernetes uses for generated names, {@code length} characters. */
    private static String kubeName(long value, int length) {
        String alphabet = "bcdfghjklmnpqrstvwxz2456789";
        StringBuilder name = new StringBuilder();
        for (int i = 0; i < length; i++) {
            name.append(alphabet.charAt((int) (value % alphabet.length())));
            value /= alphabet.length();
        }
        return name.toString();
    }

    /** Every pod's series, one after the other, a sample every 15 s up to {@code lastSample}; returns the count. */
    static long writeOpenMetrics(Path file, List<PlantedPod> pods, Instant lastSample) throws IOException {
        long last = lastSample.getEpochSecond();
        long first = last - HISTORY.toSeconds();
        long samples = 0;
        try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            out.write("# HELP " + METRIC.name() + " Ratio of time the graphics engine is active.\n");
            out.write("# TYPE " + METRIC.name() + " gauge\n");
            for (PlantedPod pod : pods) {
                String series = METRIC.name() + dcgmLabels(pod) + " ";
                Random random = new Random(pod.index());
                for (long t = first; t <= last; t += SCRAPE_INTERVAL.toSeconds()) {
                    out.write(series);
                    out.write(String.format(Locale.ROOT, "%f", pod.load().sample(random)));
                    out.write(' ');
                    out.write(Long.toString(t));
                    out.write('\n');
                    samples++;
                }
            }
            out.write("# EOF\n");
        }
        return samples;
    }

    /** The labels dcgm-exporter writes, in its order (see {@code dev.finops.sim.DcgmExposition}). */
    private static String dcgmLabels(PlantedPod pod) {
        UUID uuid = UUID.nameUUIDFromBytes((pod.node() + "/" + pod.gpu()).getBytes(StandardCharsets.UTF_8));
        return "{gpu=\"" + pod.gpu() + "\",UUID=\"GPU-" + uuid + "\",pci_bus_id=\""
                + String.format(Locale.ROOT, "00000000:%02X:1C.0", 0x10 * (pod.gpu() + 1)) + "\",device=\"nvidia"
                + pod.gpu() + "\",modelName=\"NVIDIA A100-SXM4-40GB\",Hostname=\"" + pod.node()
                + "\",container=\"trainer\",namespace=\"" + pod.namespace() + "\",pod=\"" + pod.name() + "\"}";
    }

    private static void backfill(Path openMetrics, Path tsdb) throws IOException, InterruptedException {
        System.out.println("backfilling into " + tsdb + " ...");
        Process promtool = new ProcessBuilder(binary("promtool"), "tsdb", "create-blocks-from", "openmetrics",
                "--human-readable", openMetrics.toString(), tsdb.toString()).inheritIO().start();
        int exit = promtool.waitFor();
        if (exit != 0) {
            throw new IllegalStateException("promtool exited with " + exit);
        }
    }

    // ---- the measurements ----

    private static Map<String, GpuUsage> usage(PrometheusClient client, Duration window, List<String> nodes)
            throws PrometheusUnavailableException {
        return client.usage(METRIC, window, nodes, "namespace", "pod");
    }

    private static List<String> measureEvaluate(Evidence evidence, List<GpuPod> pods, List<PlantedPod> planted,
            int iterations) {
        IdleRules.Policy policy = new IdleRules.Policy(THRESHOLD_PERCENT, evidence.window(), SCRAPE_INTERVAL, null);
        long[] nanos = new long[iterations];
        IdleReport report = null;
        for (int i = -WARM_UP_EVALUATIONS; i < iterations; i++) {
            long t0 = System.nanoTime();
            report = IdleRules.evaluate(pods, evidence.usage(), policy, evidence.queriedAt(),
                    pod -> GPU_HOUR_MICROS * pod.gpuRequests().get("nvidia.com/gpu"),
                    pod -> pod.gpuRequests().get("nvidia.com/gpu"));
            if (i >= 0) {
                nanos[i] = System.nanoTime() - t0;
            }
        }
        Set<String> plantedIdle = planted.stream().filter(pod -> pod.load() == Load.IDLE)
                .map(pod -> pod.namespace() + "/" + pod.deployment()).collect(Collectors.toSet());
        Set<String> foundIdle = report.idle().stream()
                .map(finding -> finding.namespace() + "/" + finding.workload().name()).collect(Collectors.toSet());
        System.out.printf("%-6s %10d %12d %7d %12d %10.2f %8.2f%n", text(evidence.window()), report.idle().size(),
                plantedIdle.size(), report.rightsizing().size(), report.podsWithoutEvidence(), median(nanos) / 1e6,
                p90(nanos) / 1e6);

        String in = " with the " + text(evidence.window()) + " window";
        List<String> problems = new ArrayList<>();
        if (evidence.usage().size() != PODS) {
            problems.add("the query returned usage for " + evidence.usage().size() + " pods, not " + PODS + in);
        }
        if (report.podsWithoutEvidence() != 0) {
            problems.add(report.podsWithoutEvidence() + " pods without enough samples" + in
                    + " (how long after the last planted sample was the evidence queried?)");
        }
        if (!foundIdle.equals(plantedIdle)) {
            problems.add(foundIdle.size() + " idle Deployments found, " + plantedIdle.size() + " planted" + in
                    + "; differing: " + symmetricDifference(foundIdle, plantedIdle));
        }
        // The rules only advise pods that ask for two or more GPUs; every planted pod asks for one.
        if (!report.rightsizing().isEmpty()) {
            problems.add(report.rightsizing().size() + " rightsizing advices, none planted" + in);
        }
        return problems;
    }

    private static List<String> measureQuery(PrometheusClient client, URI prometheus, Pool pool, Duration window,
            List<PlantedPod> planted, int iterations) throws Exception {
        String promql = IdleQuery.build(METRIC, window, pool.nodes(), "namespace", "pod");
        String form = "query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8);
        int responseBytes = post(prometheus, form).getBytes(StandardCharsets.UTF_8).length;
        JsonNode withStats = JSON.readTree(post(prometheus, form + "&stats=all")).path("data");
        int series = withStats.path("result").size();
        long queryableSamples = withStats.path("stats").path("samples").path("totalQueryableSamples").asLong();
        double serverSeconds = withStats.path("stats").path("timings").path("execTotalTime").asDouble();

        long[] nanos = new long[iterations];
        Map<String, GpuUsage> usage = Map.of();
        for (int i = -WARM_UP_QUERIES; i < iterations; i++) {
            long t0 = System.nanoTime();
            usage = usage(client, window, pool.nodes());
            if (i >= 0) {
                nanos[i] = System.nanoTime() - t0;
            }
        }
        System.out.printf("%-18s %6s %6d %5d %6d %5dKB %7dKB %,11d %10.1f %10.1f %8.1f%n", pool.name(), text(window),
                pool.nodes().size(), usage.size(), series, form.length() >> 10, responseBytes >> 10,
                queryableSamples, serverSeconds * 1000, median(nanos) / 1e6, p90(nanos) / 1e6);

        Set<String> poolNodes = Set.copyOf(pool.nodes());
        Set<String> expected = planted.stream().filter(pod -> poolNodes.contains(pod.node())).map(PlantedPod::key)
                .collect(Collectors.toSet());
        return usage.keySet().equals(expected) ? List.of()
                : List.of("the query for " + pool.name() + " over " + text(window) + " returned " + usage.size()
                        + " pods, " + expected.size() + " run there");
    }

    /** The raw answer, for what the client does not expose: its size and the server's statistics. */
    private static String post(URI prometheus, String form) throws IOException, InterruptedException {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                prometheus.resolve("/api/v1/query")).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("Prometheus answered " + response.statusCode() + ": " + response.body());
        }
        return response.body();
    }

    private static double median(long[] nanos) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    private static double p90(long[] nanos) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        return sorted[(int) Math.ceil(sorted.length * 0.9) - 1];
    }

    private static Set<String> symmetricDifference(Set<String> a, Set<String> b) {
        return Stream.concat(a.stream().filter(x -> !b.contains(x)), b.stream().filter(x -> !a.contains(x)))
                .limit(10).collect(Collectors.toSet());
    }

    /** A window as people write it: 30m, 1h. */
    private static String text(Duration window) {
        return window.toMinutes() % 60 == 0 ? window.toHours() + "h" : window.toMinutes() + "m";
    }

    private static double seconds(long nanos) {
        return nanos / 1e9;
    }

    /** The installer's prometheus and promtool: hack/bench.sh puts them first on PATH. */
    private static String binary(String name) {
        return name;
    }

    private static void deleteRecursively(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }

    /** Prometheus on a free loopback port, scraping nothing, serving the backfilled TSDB; stopped on close. */
    private record LocalPrometheus(Process process, URI url, Path log) implements AutoCloseable {

        static LocalPrometheus start(Path tsdb, Path dir) throws IOException, InterruptedException {
            Path config = dir.resolve("prometheus.yml");
            Files.writeString(config, "scrape_configs: []\n");
            int port = FreePorts.next();
            Path log = dir.resolve("prometheus.log");
            long t0 = System.nanoTime();
            Process process = new ProcessBuilder(binary("prometheus"), "--config.file=" + config,
                    "--storage.tsdb.path=" + tsdb, "--storage.tsdb.retention.time=30d",
                    "--web.listen-address=127.0.0.1:" + port).redirectErrorStream(true).redirectOutput(log.toFile())
                    .start();
            LocalPrometheus prometheus = new LocalPrometheus(process, URI.create("http://127.0.0.1:" + port), log);
            try {
                prometheus.awaitReady(Duration.ofMinutes(2));
            } catch (RuntimeException | InterruptedException e) {
                prometheus.close();
                throw e;
            }
            System.out.printf("prometheus ready at %s in %.1f s%n", prometheus.url(), seconds(System.nanoTime() - t0));
            return prometheus;
        }

        private void awaitReady(Duration timeout) throws InterruptedException {
            HttpClient http = HttpClient.newHttpClient();
            HttpRequest ready = HttpRequest.newBuilder(url.resolve("/-/ready")).timeout(Duration.ofSeconds(2)).build();
            long deadline = System.nanoTime() + timeout.toNanos();
            while (System.nanoTime() < deadline) {
                if (!process.isAlive()) {
                    throw new IllegalStateException("prometheus exited with " + process.exitValue() + ":\n" + logTail());
                }
                try {
                    if (http.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                        return;
                    }
                } catch (IOException notYet) {
                    // not listening yet
                }
                Thread.sleep(200);
            }
            throw new IllegalStateException("prometheus not ready after " + timeout + ":\n" + logTail());
        }

        private String logTail() {
            try {
                List<String> lines = Files.readAllLines(log);
                return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
            } catch (IOException e) {
                return "(no log: " + e.getMessage() + ")";
            }
        }

        @Override
        public void close() throws InterruptedException {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        }

    }

    private IdleQueryBenchmark() {
    }
}
