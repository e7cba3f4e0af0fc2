package dev.finops.operator.bench;

import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The API server's own count of requests ({@code apiserver_request_total} on its /metrics), by verb, resource and
 * subresource: what every client, the operator among them, asked of it. Two snapshots give the requests between.
 */
final class ApiServerRequests {

    private static final Pattern SERIES = Pattern.compile("^apiserver_request_total\\{([^}]*)} ([0-9.e+]+)$");
    private static final Pattern LABEL = Pattern.compile("(\\w+)=\"([^\"]*)\"");

    private ApiServerRequests() {
    }

    /** Request counts keyed "VERB resource[/subresource]" (e.g. "APPLY experimentbudgets/status"). */
    static Map<String, Long> snapshot(KubernetesClient client) {
        Map<String, Long> counts = new TreeMap<>();
        for (String line : client.raw("/metrics").split("\n")) {
            Matcher series = SERIES.matcher(line);
            if (!series.matches()) {
                continue;
            }
            Map<String, String> labels = new TreeMap<>();
            Matcher label = LABEL.matcher(series.group(1));
            while (label.find()) {
                labels.put(label.group(1), label.group(2));
            }
            String resource = labels.getOrDefault("resource", "");
            String subresource = labels.getOrDefault("subresource", "");
            String key = labels.getOrDefault("verb", "?") + " " + resource + (subresource.isEmpty() ? "" : "/" + subresource);
            counts.merge(key, (long) Double.parseDouble(series.group(2)), Long::sum);
        }
        return counts;
    }

    /** What happened between two snapshots, for the resources the operator touches. */
    static Map<String, Long> between(Map<String, Long> before, Map<String, Long> after, String... resources) {
        Map<String, Long> delta = new TreeMap<>();
        after.forEach((key, count) -> {
            long moved = count - before.getOrDefault(key, 0L);
            String resource = key.substring(key.indexOf(' ') + 1).split("/")[0];
            if (moved > 0 && java.util.Arrays.asList(resources).contains(resource)) {
                delta.put(key, moved);
            }
        });
        return delta;
    }
}
