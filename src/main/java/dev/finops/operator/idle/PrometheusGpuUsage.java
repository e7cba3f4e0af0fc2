package dev.finops.operator.idle;

import dev.finops.operator.api.IdleMetric;
import dev.finops.operator.config.OperatorConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;

/**
 * The GPU usage from the Prometheus that scrapes the DCGM exporter ({@code finops.prometheus.*}): the token file
 * re-read on every query, so a rotated token works; one TLS client for the operator's life.
 */
@ApplicationScoped
public class PrometheusGpuUsage implements GpuUsageSource {

    private final OperatorConfig.Prometheus config;
    private volatile HttpClient http;

    public PrometheusGpuUsage(OperatorConfig config) {
        this.config = config.prometheus();
    }

    @Override
    public boolean configured() {
        return config.url().isPresent();
    }

    @Override
    public Duration scrapeInterval() {
        return config.scrapeInterval();
    }

    @Override
    public Map<String, GpuUsage> usage(IdleMetric metric, Duration window, Collection<String> nodes)
            throws PrometheusUnavailableException {
        return client().usage(metric, window, nodes, config.namespaceLabel(), config.podLabel());
    }

    private PrometheusClient client() throws PrometheusUnavailableException {
        String url = config.url().orElseThrow(() -> new PrometheusUnavailableException(
                "finops.prometheus.url is not set", null));
        Optional<String> token = Optional.empty();
        try {
            if (config.bearerTokenFile().isPresent()) {
                token = Optional.of(Files.readString(Path.of(config.bearerTokenFile().get())).strip());
            }
            if (http == null) {
                http = PrometheusTls.client(config.tlsCaFile(), config.tlsInsecureSkipVerify());
            }
        } catch (IOException | IllegalStateException e) {
            throw new PrometheusUnavailableException(e.getMessage(), e);
        }
        return new PrometheusClient(http, URI.create(url), token, config.timeout(), config.maxReplyBytes());
    }
}
