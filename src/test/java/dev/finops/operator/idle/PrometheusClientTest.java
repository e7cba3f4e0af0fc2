package dev.finops.operator.idle;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import org.junit.jupiter.api.Test;

class PrometheusClientTest {

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
}
