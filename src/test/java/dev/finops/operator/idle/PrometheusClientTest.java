package dev.finops.operator.idle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.sun.net.httpserver.HttpServer;
import dev.finops.operator.api.IdleMetric;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Prometheus replies are untrusted input: every broken one is a reason on the condition, never an exception. */
class PrometheusClientTest {

    private static final String OK_HEAD = "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[";
    private static final String MAX = series("max", "\"0.015\"");
    private static final String MEAN = series("mean", "\"0.01\"");
    private static final String SAMPLES = series("samples", "\"120\"");
    private static final int LIMIT = 4096;
    private static final String UNUSABLE = "sent a reply the idle query cannot use: ";
    private static final AtomicInteger CASES = new AtomicInteger();

    private static HttpServer server;

    @BeforeAll
    static void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.start();
    }

    @AfterAll
    static void stop() {
        server.stop(0);
    }

    static Stream<Arguments> replies() {
        return Stream.of(
                Arguments.of("an HTML error page with 200", 200, "<html><body>Bad Gateway</body></html>",
                        IdleDetectionReason.MalformedReply, "sent a reply the idle query cannot use: the reply is "
                                + "not JSON: <html><body>Bad Gateway</body></html>"),
                Arguments.of("an HTML error page with 502", 502, "<html>\n<body>Bad Gateway</body>\n</html>",
                        IdleDetectionReason.PrometheusUnavailable, "answered HTTP 502: <html> <body>Bad "
                                + "Gateway</body> </html>"),
                Arguments.of("a failed query", 200, "{\"status\":\"error\",\"errorType\":\"bad_data\",\"error\":"
                        + "\"parse error\"}", IdleDetectionReason.PrometheusUnavailable,
                        "failed the query: bad_data parse error"),
                Arguments.of("JSON that is no object", 200, "[1,2]", IdleDetectionReason.MalformedReply,
                        UNUSABLE + "the reply is not a JSON object: [1,2]"),
                Arguments.of("no result list", 200, "{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\"}}",
                        IdleDetectionReason.MalformedReply, UNUSABLE + "data.resultType is not vector with a data.result list"),
                Arguments.of("a series without value", 200, OK_HEAD + "{\"metric\":{\"namespace\":\"ml\",\"pod\":"
                        + "\"nb\",\"finops_stat\":\"max\"}}]}}", IdleDetectionReason.MalformedReply,
                        UNUSABLE + "data.result[0].value is not [time, \"number\"]"),
                Arguments.of("a NaN", 200, OK_HEAD + series("max", "\"NaN\"") + "," + MEAN + "," + SAMPLES + "]}}",
                        IdleDetectionReason.MalformedReply,
                        UNUSABLE + "data.result[0].value NaN is not a finite, non-negative number"),
                Arguments.of("+Inf", 200, OK_HEAD + MAX + "," + series("mean", "\"+Inf\"") + "]}}",
                        IdleDetectionReason.MalformedReply, UNUSABLE + "data.result[1].value \"+Inf\" is not a number"),
                Arguments.of("a value that is not numeric", 200, OK_HEAD + series("max", "\"abc\"") + "]}}",
                        IdleDetectionReason.MalformedReply, UNUSABLE + "data.result[0].value \"abc\" is not a number"),
                Arguments.of("a series without its pod", 200, OK_HEAD + "{\"metric\":{\"namespace\":\"ml\","
                        + "\"finops_stat\":\"max\"},\"value\":[1,\"1\"]}]}}", IdleDetectionReason.MalformedReply,
                        UNUSABLE + "data.result[0].metric.pod is missing or not a name"),
                Arguments.of("an unknown stat", 200, OK_HEAD + series("p99", "\"1\"") + "]}}",
                        IdleDetectionReason.MalformedReply,
                        UNUSABLE + "data.result[0].metric.finops_stat is not one of [max, mean, samples]"),
                Arguments.of("a pod without its sample count", 200, OK_HEAD + MAX + "," + MEAN + "]}}",
                        IdleDetectionReason.MalformedReply, UNUSABLE + "the pod ml/nb has no samples series"),
                Arguments.of("a body over the limit", 200, OK_HEAD + (MAX + ",").repeat(LIMIT / MAX.length() + 1)
                        + SAMPLES + "]}}", IdleDetectionReason.MalformedReply,
                        "sent a reply larger than 4096 bytes (finops.prometheus.max-reply-bytes); split the pool or "
                                + "raise the limit"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("replies")
    void aBrokenReplyIsAReasonNeverAnException(String what, int code, String body, IdleDetectionReason reason,
            String message) {
        URI base = serve(code, body);

        PrometheusUnavailableException refused = catchThrowableOfType(() -> usage(base),
                PrometheusUnavailableException.class);

        assertThat(refused).as(what).isNotNull();
        assertThat(refused.reason()).isEqualTo(reason);
        assertThat(refused.getMessage()).isEqualTo("Prometheus at " + base + " " + message);
    }

    @Test
    void aWellFormedReplyIsReadInPercent() throws PrometheusUnavailableException {
        Map<String, GpuUsage> usage = usage(serve(200, OK_HEAD + MAX + "," + MEAN + "," + SAMPLES + "]}}"));

        assertThat(usage).containsOnlyKeys("ml/nb");
        assertThat(usage.get("ml/nb").maxPercent()).isEqualTo(1.5);
        assertThat(usage.get("ml/nb").meanPercent()).isEqualTo(1.0);
        assertThat(usage.get("ml/nb").samples()).isEqualTo(120);
    }

    @Test
    void anUnreachablePrometheusIsUnavailable() {
        URI nowhere = URI.create("http://127.0.0.1:1");

        PrometheusUnavailableException refused = catchThrowableOfType(() -> usage(nowhere),
                PrometheusUnavailableException.class);

        assertThat(refused.reason()).isEqualTo(IdleDetectionReason.PrometheusUnavailable);
        assertThat(refused.getMessage()).startsWith("Prometheus at http://127.0.0.1:1 is unreachable");
    }

    @Test
    void theQueryEndpointKeepsThePathPrefixOfTheBaseUrl() {
        assertThat(PrometheusClient.endpoint(URI.create("http://prometheus:9090")))
                .hasToString("http://prometheus:9090/api/v1/query");
        assertThat(PrometheusClient.endpoint(URI.create("http://prometheus:9090/")))
                .hasToString("http://prometheus:9090/api/v1/query");
        // behind a proxy or --web.route-prefix=/prometheus
        assertThat(PrometheusClient.endpoint(URI.create("https://monitoring.example.com/prometheus/")))
                .hasToString("https://monitoring.example.com/prometheus/api/v1/query");
        assertThat(PrometheusClient.endpoint(URI.create("https://monitoring.example.com/select/0/prometheus")))
                .hasToString("https://monitoring.example.com/select/0/prometheus/api/v1/query");
    }

    private static Map<String, GpuUsage> usage(URI base) throws PrometheusUnavailableException {
        return new PrometheusClient(HttpClient.newHttpClient(), base, Optional.empty(), Duration.ofSeconds(5), LIMIT)
                .usage(IdleMetric.DCGM_FI_PROF_GR_ENGINE_ACTIVE, Duration.ofMinutes(10), List.of("gpu-node-1"),
                        "namespace", "pod");
    }

    /** A base URL under which Prometheus's query endpoint answers {@code code} and {@code body}. */
    private static URI serve(int code, String body) {
        String prefix = "/case-" + CASES.incrementAndGet();
        server.createContext(prefix + "/api/v1/query", exchange -> {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(code, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        });
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + prefix);
    }

    private static String series(String stat, String value) {
        return "{\"metric\":{\"namespace\":\"ml\",\"pod\":\"nb\",\"finops_stat\":\"" + stat + "\"},\"value\":"
                + "[1767225600.5," + value + "]}";
    }
}
