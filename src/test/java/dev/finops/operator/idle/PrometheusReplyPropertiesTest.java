package dev.finops.operator.idle;

import static org.assertj.core.api.Assertions.assertThat;

import dev.finops.operator.api.IdleMetric;
import java.io.IOException;
import java.net.Authenticator;
import java.net.CookieHandler;
import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSession;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Prometheus replies are untrusted input: over thousands of generated replies (well-formed vectors,
 * the same with a field missing or mangled, NaN, non-numbers, HTML pages, random text), the client returns exactly
 * the usage a well-formed reply holds, and refuses anything else as Prometheus being unavailable, never with
 * another exception. Through the public client (its HTTP client answering with the reply), so it holds whatever
 * parses the reply inside.
 */
class PrometheusReplyPropertiesTest {

    private static final String NAMESPACE_LABEL = "exported_namespace";
    private static final String POD_LABEL = "exported_pod";
    private static final AtomicReference<String> REPLY = new AtomicReference<>("");
    private static final PrometheusClient CLIENT = new PrometheusClient(new ReplyingHttpClient(),
            URI.create("http://prometheus.monitoring.svc:9090"), Optional.empty(), Duration.ofSeconds(5));

    /** A pod's three stats as Prometheus would send them. */
    record PodStats(String namespace, String pod, double max, double mean, long samples) {
    }

    @Property(tries = 1500)
    void aWellFormedVectorReadsBackExactly(@ForAll("pods") List<PodStats> pods) throws Exception {
        Map<String, PodStats> byKey = pods.stream().collect(Collectors.toMap(p -> p.namespace() + "/" + p.pod(),
                p -> p, (a, b) -> b, HashMap::new));
        REPLY.set(vector(byKey.values().stream().toList()));

        Map<String, GpuUsage> usage = CLIENT.usage(IdleMetric.DCGM_FI_DEV_GPU_UTIL, Duration.ofMinutes(30),
                List.of("node-a"), NAMESPACE_LABEL, POD_LABEL);

        assertThat(usage.keySet()).isEqualTo(byKey.keySet());
        byKey.forEach((key, stats) -> assertThat(usage.get(key)).isEqualTo(
                new GpuUsage(stats.namespace(), stats.pod(), stats.max(), stats.mean(), stats.samples())));
    }

    @Property(tries = 3000)
    void anyReplyIsUsageOrPrometheusUnavailableNeverAnotherException(@ForAll("replies") String reply) {
        REPLY.set(reply);
        try {
            Map<String, GpuUsage> usage = CLIENT.usage(IdleMetric.DCGM_FI_PROF_GR_ENGINE_ACTIVE, Duration.ofMinutes(30),
                    List.of("node-a"), NAMESPACE_LABEL, POD_LABEL);
            assertThat(usage.values()).allSatisfy(u -> {
                assertThat(u.maxPercent()).isFinite().isNotNegative();
                assertThat(u.meanPercent()).isFinite().isNotNegative();
                assertThat(u.samples()).isNotNegative();
            });
        } catch (PrometheusUnavailableException unavailable) {
            assertThat(unavailable.getMessage()).isNotBlank();
        }
    }

    private static String vector(List<PodStats> pods) {
        StringBuilder result = new StringBuilder();
        for (PodStats pod : pods) {
            for (Map.Entry<String, String> stat : Map.of("max", Double.toString(pod.max()), "mean",
                    Double.toString(pod.mean()), "samples", Long.toString(pod.samples())).entrySet()) {
                if (!result.isEmpty()) {
                    result.append(',');
                }
                result.append(series(pod.namespace(), pod.pod(), stat.getKey(), "\"" + stat.getValue() + "\""));
            }
        }
        return "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[" + result + "]}}";
    }

    private static String series(String namespace, String pod, String stat, String value) {
        return "{\"metric\":{\"" + NAMESPACE_LABEL + "\":\"" + namespace + "\",\"" + POD_LABEL + "\":\"" + pod
                + "\",\"" + IdleQuery.STAT_LABEL + "\":\"" + stat + "\"},\"value\":[1730000000.123," + value + "]}";
    }

    @Provide
    Arbitrary<List<PodStats>> pods() {
        Arbitrary<String> name = Arbitraries.strings().withChars("abcxyz0123-").ofMinLength(1).ofMaxLength(12);
        Arbitrary<Double> percent = Arbitraries.doubles().between(0, 100);
        return Combinators.combine(name, name, percent, percent, Arbitraries.longs().between(0, 100_000))
                .as(PodStats::new).list().ofMaxSize(8);
    }

    /** Well-formed replies, the same mangled one field at a time, and what a proxy or a broken server sends. */
    @Provide
    Arbitrary<String> replies() {
        Arbitrary<String> good = pods().map(PrometheusReplyPropertiesTest::vector);
        Arbitrary<String> value = Arbitraries.of("\"NaN\"", "\"+Inf\"", "\"-1\"", "\"abc\"", "\"\"", "null", "1.5",
                "[]", "{}", "\"1e400\"");
        Arbitrary<String> mangledValue = Combinators.combine(Arbitraries.of("max", "mean", "samples", "p99"), value)
                .as((stat, v) -> "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":["
                        + series("ml", "trainer", stat, v) + "]}}");
        Arbitrary<String> dropped = Combinators.combine(good, Arbitraries.of("\"metric\":", "\"value\":", "\"data\":",
                "\"result\":", "\"status\":\"success\",", "[1730000000.123,", "\"" + POD_LABEL + "\":"))
                .as((reply, cut) -> reply.replaceFirst(java.util.regex.Pattern.quote(cut), ""));
        Arbitrary<String> truncated = good.flatMap(reply -> Arbitraries.integers().between(0, reply.length())
                .map(end -> reply.substring(0, end)));
        Arbitrary<String> html = Arbitraries.just("<html><body><h1>502 Bad Gateway</h1></body></html>");
        Arbitrary<String> others = Arbitraries.of("", "null", "[]", "{}", "\"success\"", "{\"status\":\"error\","
                + "\"errorType\":\"bad_data\",\"error\":\"parse error\"}", "{\"status\":\"success\",\"data\":{"
                + "\"resultType\":\"matrix\",\"result\":[{\"metric\":{},\"values\":[[1,\"1\"]]}]}}",
                "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":{}}}");
        return Arbitraries.oneOf(good, mangledValue, dropped, truncated, html, others, Arbitraries.strings()
                .ofMaxLength(60));
    }

    /**
     * Answers every request with HTTP 200 and the reply under test, through the caller's own body handler (whatever
     * it is: a string, a bounded stream), without a socket: thousands of replies in seconds.
     */
    static final class ReplyingHttpClient extends HttpClient {

        @Override
        public <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler)
                throws IOException {
            byte[] body = REPLY.get().getBytes(StandardCharsets.UTF_8);
            HttpHeaders headers = HttpHeaders.of(Map.of("Content-Type", List.of("application/json"),
                    "Content-Length", List.of(Integer.toString(body.length))), (name, value) -> true);
            HttpResponse.BodySubscriber<T> subscriber = handler.apply(new HttpResponse.ResponseInfo() {
                @Override
                public int statusCode() {
                    return 200;
                }

                @Override
                public HttpHeaders headers() {
                    return headers;
                }

                @Override
                public Version version() {
                    return Version.HTTP_1_1;
                }
            });
            subscriber.onSubscribe(new Flow.Subscription() {
                private boolean sent;

                @Override
                public void request(long n) {
                    if (!sent) {
                        sent = true;
                        subscriber.onNext(List.of(ByteBuffer.wrap(body)));
                        subscriber.onComplete();
                    }
                }

                @Override
                public void cancel() {
                    sent = true;
                }
            });
            try {
                T value = subscriber.getBody().toCompletableFuture().get();
                return new Reply<>(request, headers, value);
            } catch (InterruptedException | ExecutionException e) {
                throw new IOException(e);
            }
        }

        @Override
        public <T> CompletableFuture<HttpResponse<T>> sendAsync(HttpRequest request,
                HttpResponse.BodyHandler<T> handler) {
            try {
                return CompletableFuture.completedFuture(send(request, handler));
            } catch (IOException e) {
                return CompletableFuture.failedFuture(e);
            }
        }

        @Override
        public <T> CompletableFuture<HttpResponse<T>> sendAsync(HttpRequest request,
                HttpResponse.BodyHandler<T> handler, HttpResponse.PushPromiseHandler<T> push) {
            return sendAsync(request, handler);
        }

        @Override
        public Optional<CookieHandler> cookieHandler() {
            return Optional.empty();
        }

        @Override
        public Optional<Duration> connectTimeout() {
            return Optional.empty();
        }

        @Override
        public Redirect followRedirects() {
            return Redirect.NEVER;
        }

        @Override
        public Optional<ProxySelector> proxy() {
            return Optional.empty();
        }

        @Override
        public SSLContext sslContext() {
            return null;
        }

        @Override
        public SSLParameters sslParameters() {
            return null;
        }

        @Override
        public Optional<Authenticator> authenticator() {
            return Optional.empty();
        }

        @Override
        public Version version() {
            return Version.HTTP_1_1;
        }

        @Override
        public Optional<Executor> executor() {
            return Optional.empty();
        }
    }

    private record Reply<T>(HttpRequest request, HttpHeaders headers, T body) implements HttpResponse<T> {

        @Override
        public int statusCode() {
            return 200;
        }

        @Override
        public Optional<HttpResponse<T>> previousResponse() {
            return Optional.empty();
        }

        @Override
        public Optional<SSLSession> sslSession() {
            return Optional.empty();
        }

        @Override
        public URI uri() {
            return request.uri();
        }

        @Override
        public HttpClient.Version version() {
            return HttpClient.Version.HTTP_1_1;
        }
    }
}
