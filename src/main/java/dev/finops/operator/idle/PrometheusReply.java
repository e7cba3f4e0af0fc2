package dev.finops.operator.idle;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.finops.operator.api.IdleMetric;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The idle query's reply read as untrusted input: anything but a well-formed instant vector of the three stats per
 * pod (not JSON, an HTML error page, a missing field, a value that is not a finite number) is refused as a whole,
 * with the first thing wrong named, so that no workload is ever judged on a reply half understood. Pure.
 */
final class PrometheusReply {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> STATS = List.of("max", "mean", "samples");

    private PrometheusReply() {
    }

    /** The usage per namespace/pod in the reply {@code body}. */
    static Map<String, GpuUsage> parse(String body, IdleMetric metric, String namespaceLabel, String podLabel)
            throws PrometheusUnavailableException {
        JsonNode reply = json(body);
        if (!"success".equals(reply.path("status").asText())) {
            throw new PrometheusUnavailableException("Prometheus failed the query: " + reply.path("errorType").asText()
                    + " " + reply.path("error").asText(), null);
        }
        JsonNode result = reply.path("data").path("result");
        if (!"vector".equals(reply.path("data").path("resultType").asText()) || !result.isArray()) {
            throw malformed("data.resultType is not vector with a data.result list");
        }
        Map<String, double[]> stats = new HashMap<>();
        int index = 0;
        for (JsonNode series : result) {
            String where = "data.result[" + index++ + "]";
            JsonNode labels = series.path("metric");
            String key = label(labels, namespaceLabel, where) + "/" + label(labels, podLabel, where);
            int stat = STATS.indexOf(labels.path(IdleQuery.STAT_LABEL).asText());
            if (stat < 0) {
                throw malformed(where + ".metric." + IdleQuery.STAT_LABEL + " is not one of " + STATS);
            }
            double value = value(series.path("value"), where);
            double[] values = stats.computeIfAbsent(key, k -> new double[] {Double.NaN, Double.NaN, Double.NaN});
            values[stat] = stat == 2 ? value : IdleQuery.toPercent(metric, value);
        }
        Map<String, GpuUsage> usage = new HashMap<>();
        for (Map.Entry<String, double[]> entry : stats.entrySet()) {
            double[] values = entry.getValue();
            for (int stat = 0; stat < STATS.size(); stat++) {
                if (Double.isNaN(values[stat])) {
                    throw malformed("the pod " + entry.getKey() + " has no " + STATS.get(stat) + " series");
                }
            }
            int slash = entry.getKey().indexOf('/');
            usage.put(entry.getKey(), new GpuUsage(entry.getKey().substring(0, slash),
                    entry.getKey().substring(slash + 1), values[0], values[1], (long) values[2]));
        }
        return usage;
    }

    private static JsonNode json(String body) throws PrometheusUnavailableException {
        try {
            JsonNode reply = JSON.readTree(body);
            if (reply == null || !reply.isObject()) {
                throw malformed("the reply is not a JSON object: " + abbreviate(body));
            }
            return reply;
        } catch (JsonProcessingException e) {
            throw malformed("the reply is not JSON: " + abbreviate(body));
        }
    }

    private static String label(JsonNode labels, String name, String where) throws PrometheusUnavailableException {
        JsonNode value = labels.path(name);
        if (!value.isTextual() || value.asText().isEmpty() || value.asText().contains("/")) {
            throw malformed(where + ".metric." + name + " is missing or not a name");
        }
        return value.asText();
    }

    /** A sample is [unix time, "value"]; the value a finite number, never negative. */
    private static double value(JsonNode sample, String where) throws PrometheusUnavailableException {
        if (!sample.isArray() || sample.size() != 2 || !sample.get(0).isNumber() || !sample.get(1).isTextual()) {
            throw malformed(where + ".value is not [time, \"number\"]");
        }
        double value;
        try {
            value = Double.parseDouble(sample.get(1).asText());
        } catch (NumberFormatException e) {
            throw malformed(where + ".value \"" + abbreviate(sample.get(1).asText()) + "\" is not a number");
        }
        if (!Double.isFinite(value) || value < 0) {
            throw malformed(where + ".value " + sample.get(1).asText() + " is not a finite, non-negative number");
        }
        return value;
    }

    static PrometheusUnavailableException malformed(String what) {
        return new PrometheusUnavailableException(IdleDetectionReason.MalformedReply, "Prometheus sent a reply the "
                + "idle query cannot use: " + what, null);
    }

    static String abbreviate(String text) {
        String line = text.strip().replaceAll("\\s+", " ");
        return line.length() > 120 ? line.substring(0, 120) + "..." : line;
    }
}
