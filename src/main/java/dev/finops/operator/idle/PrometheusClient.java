package dev.finops.operator.idle;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.finops.operator.api.IdleMetric;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** The Prometheus HTTP API ({@code /api/v1/query}) for the idle query, with an optional bearer token. */
public class PrometheusClient {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http;
    private final URI base;
    private final Optional<String> bearerToken;
    private final Duration timeout;

    public PrometheusClient(HttpClient http, URI base, Optional<String> bearerToken, Duration timeout) {
        this.http = http;
        this.base = base;
        this.bearerToken = bearerToken;
        this.timeout = timeout;
    }

    /** The usage of every pod on {@code nodes} over the window, keyed by namespace/pod. */
    public Map<String, GpuUsage> usage(IdleMetric metric, Duration window, Collection<String> nodes,
            String namespaceLabel, String podLabel) throws PrometheusUnavailableException {
        JsonNode result = query(IdleQuery.build(metric, window, nodes, namespaceLabel, podLabel));
        Map<String, double[]> stats = new HashMap<>();
        for (JsonNode series : result) {
            JsonNode labels = series.get("metric");
            String key = labels.path(namespaceLabel).asText() + "/" + labels.path(podLabel).asText();
            double value = Double.parseDouble(series.get("value").get(1).asText());
            double[] values = stats.computeIfAbsent(key, k -> new double[] {Double.NaN, Double.NaN, 0});
            switch (labels.path(IdleQuery.STAT_LABEL).asText()) {
                case "max" -> values[0] = IdleQuery.toPercent(metric, value);
                case "mean" -> values[1] = IdleQuery.toPercent(metric, value);
                case "samples" -> values[2] = value;
                default -> { }
            }
        }
        Map<String, GpuUsage> usage = new HashMap<>();
        stats.forEach((key, values) -> {
            int slash = key.indexOf('/');
            usage.put(key, new GpuUsage(key.substring(0, slash), key.substring(slash + 1), values[0], values[1],
                    (long) values[2]));
        });
        return usage;
    }

    JsonNode query(String promql) throws PrometheusUnavailableException {
        HttpRequest.Builder request = HttpRequest.newBuilder(endpoint(base))
                .timeout(timeout)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8)));
        bearerToken.ifPresent(token -> request.header("Authorization", "Bearer " + token));
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new PrometheusUnavailableException("Prometheus at " + base + " answered HTTP "
                        + response.statusCode() + ": " + abbreviate(response.body()), null);
            }
            JsonNode body = JSON.readTree(response.body());
            if (!"success".equals(body.path("status").asText())) {
                throw new PrometheusUnavailableException("Prometheus at " + base + " failed the query: "
                        + body.path("error").asText(), null);
            }
            return body.path("data").path("result");
        } catch (IOException e) {
            throw new PrometheusUnavailableException("Prometheus at " + base + " is unreachable: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PrometheusUnavailableException("interrupted while querying Prometheus", e);
        }
    }

    /** {@code /api/v1/query} under the base URL, keeping a path prefix (a proxy, {@code --web.route-prefix}). */
    static URI endpoint(URI base) {
        String url = base.toString();
        return URI.create((url.endsWith("/") ? url.substring(0, url.length() - 1) : url) + "/api/v1/query");
    }

    private static String abbreviate(String text) {
        return text.length() > 200 ? text.substring(0, 200) + "..." : text;
    }
}
