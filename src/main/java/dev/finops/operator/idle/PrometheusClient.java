package dev.finops.operator.idle;

import dev.finops.operator.api.IdleMetric;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;

/**
 * The Prometheus HTTP API ({@code /api/v1/query}) for the idle query, with an optional bearer token. The reply is
 * untrusted: read up to {@code maxReplyBytes} and no further, and parsed by {@link PrometheusReply}, so a huge,
 * broken or foreign reply is a reason on the pool's condition, never an exception or a full heap.
 */
public class PrometheusClient {

    /** What a reply may weigh by default: a 625-node, 5,000-pod pool's answer is about 2 MB. */
    public static final long DEFAULT_MAX_REPLY_BYTES = 8L * 1024 * 1024;

    private final HttpClient http;
    private final URI base;
    private final Optional<String> bearerToken;
    private final Duration timeout;
    private final long maxReplyBytes;

    public PrometheusClient(HttpClient http, URI base, Optional<String> bearerToken, Duration timeout) {
        this(http, base, bearerToken, timeout, DEFAULT_MAX_REPLY_BYTES);
    }

    public PrometheusClient(HttpClient http, URI base, Optional<String> bearerToken, Duration timeout,
            long maxReplyBytes) {
        this.http = http;
        this.base = base;
        this.bearerToken = bearerToken;
        this.timeout = timeout;
        this.maxReplyBytes = maxReplyBytes;
    }

    /** The usage of every pod on {@code nodes} over the window, keyed by namespace/pod. */
    public Map<String, GpuUsage> usage(IdleMetric metric, Duration window, Collection<String> nodes,
            String namespaceLabel, String podLabel) throws PrometheusUnavailableException {
        String body = query(IdleQuery.build(metric, window, nodes, namespaceLabel, podLabel));
        try {
            return PrometheusReply.parse(body, metric, namespaceLabel, podLabel);
        } catch (PrometheusUnavailableException e) {
            throw new PrometheusUnavailableException(e.reason(), e.getMessage().replaceFirst("^Prometheus",
                    "Prometheus at " + base), null);
        }
    }

    /** The reply's body, at most {@code maxReplyBytes}; anything but HTTP 200 is unavailable. */
    String query(String promql) throws PrometheusUnavailableException {
        HttpRequest.Builder request = HttpRequest.newBuilder(endpoint(base))
                .timeout(timeout)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8)));
        bearerToken.ifPresent(token -> request.header("Authorization", "Bearer " + token));
        try {
            HttpResponse<InputStream> response = http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
            String body = read(response.body());
            if (response.statusCode() != 200) {
                throw new PrometheusUnavailableException("Prometheus at " + base + " answered HTTP "
                        + response.statusCode() + ": " + PrometheusReply.abbreviate(body), null);
            }
            return body;
        } catch (IOException e) {
            throw new PrometheusUnavailableException("Prometheus at " + base + " is unreachable: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PrometheusUnavailableException("interrupted while querying Prometheus", e);
        }
    }

    private String read(InputStream in) throws IOException, PrometheusUnavailableException {
        try (in) {
            byte[] body = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxReplyBytes + 1));
            if (body.length > maxReplyBytes) {
                throw new PrometheusUnavailableException(IdleDetectionReason.MalformedReply, "Prometheus at " + base
                        + " sent a reply larger than " + maxReplyBytes + " bytes (finops.prometheus.max-reply-bytes); "
                        + "split the pool or raise the limit", null);
            }
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    /** {@code /api/v1/query} under the base URL, keeping a path prefix (a proxy, {@code --web.route-prefix}). */
    static URI endpoint(URI base) {
        String url = base.toString();
        return URI.create((url.endsWith("/") ? url.substring(0, url.length() - 1) : url) + "/api/v1/query");
    }
}
