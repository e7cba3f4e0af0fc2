package dev.finops.operator.idle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import dev.finops.operator.FreePorts;
import dev.finops.operator.api.IdleMetric;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The idle query against a real Prometheus (the one the installer provides, first on PATH) scraping a DCGM-exporter
 * style endpoint every second: one round trip returns max, mean and sample count per pod, in percent.
 */
class PrometheusClientIT {

    private static HttpServer exporter;
    private static Process prometheus;
    private static URI prometheusUrl;
    private static Path dataDir;

    @BeforeAll
    static void start() throws IOException {
        exporter = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        exporter.createContext("/metrics", exchange -> {
            byte[] body = dcgm().getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        exporter.start();
        int port = FreePorts.next();
        dataDir = Files.createTempDirectory("prometheus-it");
        Path config = dataDir.resolve("prometheus.yml");
        Files.writeString(config, "global:\n  scrape_interval: 1s\nscrape_configs:\n  - job_name: dcgm\n"
                + "    static_configs:\n      - targets: ['127.0.0.1:" + exporter.getAddress().getPort() + "']\n");
        String binary = "prometheus"; // the installer's choice, first on the tests' PATH
        prometheus = new ProcessBuilder(binary, "--config.file=" + config, "--storage.tsdb.path=" + dataDir.resolve("data"),
                "--web.listen-address=127.0.0.1:" + port).redirectErrorStream(true)
                .redirectOutput(dataDir.resolve("prometheus.log").toFile()).start();
        prometheusUrl = URI.create("http://127.0.0.1:" + port);
    }

    @AfterAll
    static void stop() throws InterruptedException {
        prometheus.destroy();
        prometheus.waitFor(20, TimeUnit.SECONDS);
        exporter.stop(0);
    }

    @Test
    void oneQueryReturnsMaxMeanAndSamplesPerPodInPercent() {
        PrometheusClient client = new PrometheusClient(HttpClient.newHttpClient(), prometheusUrl, Optional.empty(),
                Duration.ofSeconds(5));

        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
            Map<String, GpuUsage> usage = client.usage(IdleMetric.DCGM_FI_PROF_GR_ENGINE_ACTIVE,
                    Duration.ofSeconds(30), List.of("gpu-node-1"), "namespace", "pod");
            assertThat(usage).containsOnlyKeys("ml/idle-notebook", "ml/trainer");
            assertThat(usage.get("ml/idle-notebook").maxPercent()).isCloseTo(1.5, org.assertj.core.data.Offset.offset(1e-9));
            assertThat(usage.get("ml/trainer").maxPercent()).isCloseTo(91.0, org.assertj.core.data.Offset.offset(1e-9));
            assertThat(usage.get("ml/trainer").meanPercent()).isCloseTo(88.0, org.assertj.core.data.Offset.offset(1e-9));
            assertThat(usage.get("ml/trainer").samples()).isGreaterThanOrEqualTo(5);
        });
    }

    @Test
    void anUnreachablePrometheusIsReportedNotTakenForIdle() {
        PrometheusClient client = new PrometheusClient(HttpClient.newHttpClient(),
                URI.create("http://127.0.0.1:" + FreePorts.next()), Optional.of("token"), Duration.ofSeconds(2));

        assertThatThrownBy(() -> client.usage(IdleMetric.DCGM_FI_DEV_GPU_UTIL, Duration.ofMinutes(5), List.of("n"),
                "namespace", "pod")).isInstanceOf(PrometheusUnavailableException.class)
                .hasMessageContaining("is unreachable");
    }

    /** Two pods on gpu-node-1 (the trainer on two GPUs at 85% and 91%), one free GPU, one pod elsewhere. */
    private static String dcgm() {
        return "# HELP DCGM_FI_PROF_GR_ENGINE_ACTIVE Ratio of time the graphics engine is active.\n"
                + "# TYPE DCGM_FI_PROF_GR_ENGINE_ACTIVE gauge\n"
                + series(0, "gpu-node-1", "ml", "idle-notebook", "0.015")
                + series(1, "gpu-node-1", "ml", "trainer", "0.85")
                + series(2, "gpu-node-1", "ml", "trainer", "0.91")
                + series(3, "gpu-node-1", "", "", "0")
                + series(0, "gpu-node-2", "ml", "elsewhere", "0");
    }

    private static String series(int gpu, String host, String namespace, String pod, String value) {
        return "DCGM_FI_PROF_GR_ENGINE_ACTIVE{gpu=\"" + gpu + "\",UUID=\"GPU-" + host + "-" + gpu
                + "\",device=\"nvidia" + gpu + "\",modelName=\"NVIDIA A100-SXM4-40GB\",Hostname=\"" + host
                + "\",container=\"" + (pod.isEmpty() ? "" : "main") + "\",namespace=\"" + namespace + "\",pod=\""
                + pod + "\"} " + value + "\n";
    }

}
