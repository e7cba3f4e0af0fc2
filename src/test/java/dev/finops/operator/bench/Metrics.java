package dev.finops.operator.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The operator's own count of pod events and of the budgets they reconciled, from its /q/metrics. */
record Metrics(long podEvents, double primaries) {

    private static final Pattern LINE = Pattern.compile(
            "^finops_event_primaries_(count|sum)\\{[^}]*change=\"pod\"[^}]*controller=\"ExperimentBudget\"[^}]*} ([0-9.eE+]+)$");

    double primariesPerPodEvent() {
        return podEvents == 0 ? 0 : primaries / podEvents;
    }

    static Metrics scrape(int port) throws Exception {
        String body = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + "/q/metrics")).build(), HttpResponse.BodyHandlers.ofString())
                .body();
        long count = 0;
        double sum = 0;
        for (String line : body.split("\n")) {
            Matcher matcher = LINE.matcher(line);
            if (matcher.matches()) {
                if (matcher.group(1).equals("count")) {
                    count += (long) Double.parseDouble(matcher.group(2));
                } else {
                    sum += Double.parseDouble(matcher.group(2));
                }
            }
        }
        return new Metrics(count, sum);
    }
}
