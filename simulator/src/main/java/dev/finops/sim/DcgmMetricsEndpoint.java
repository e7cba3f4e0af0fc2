package dev.finops.sim;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A stand-in for dcgm-exporter: serves {@code /metrics} on 127.0.0.1 (default port 9400, the one
 * dcgm-exporter uses and hack/local-cluster.sh's Prometheus scrapes) from the {@link GpuFleet} and the
 * {@link UtilisationModel}, rendered by {@link DcgmExposition}. Real dcgm-exporter runs one per node; one
 * endpoint for all simulated nodes is equivalent for Prometheus queries (the {@code Hostname} label
 * separates nodes).
 */
public final class DcgmMetricsEndpoint implements AutoCloseable {

    public static final int DEFAULT_PORT = 9400;
    /** The environment variable hack/local-cluster.sh uses for the port its Prometheus scrapes. */
    public static final String PORT_ENV = "GPU_FINOPS_SIM_METRICS_PORT";
    private static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final HttpServer server;
    private final ExecutorService executor;
    private final GpuFleet fleet;
    private final UtilisationModel model;
    private final Clock clock;

    private DcgmMetricsEndpoint(HttpServer server, ExecutorService executor, GpuFleet fleet, UtilisationModel model,
            Clock clock) {
        this.server = server;
        this.executor = executor;
        this.fleet = fleet;
        this.model = model;
        this.clock = clock;
    }

    /** Starts serving; {@code port} 0 picks a free port (tests). */
    public static DcgmMetricsEndpoint start(int port, GpuFleet fleet, UtilisationModel model, Clock clock)
            throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 16);
        ExecutorService executor = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "dcgm-metrics-endpoint");
            t.setDaemon(true);
            return t;
        });
        DcgmMetricsEndpoint endpoint = new DcgmMetricsEndpoint(server, executor, fleet, model, clock);
        server.createContext("/", endpoint::handle);
        server.setExecutor(executor);
        server.start();
        return endpoint;
    }

    /** The port from {@value #PORT_ENV}, else {@value #DEFAULT_PORT}. */
    public static int portFromEnvironment() {
        String value = System.getenv(PORT_ENV);
        return value == null || value.isBlank() ? DEFAULT_PORT : Integer.parseInt(value.trim());
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public URI metricsUri() {
        return URI.create("http://127.0.0.1:" + port() + "/metrics");
    }

    /** The text a scrape would get now. */
    public String render() {
        return DcgmExposition.render(fleet.series(model, clock.instant()));
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            if (!"GET".equals(exchange.getRequestMethod()) && !"HEAD".equals(exchange.getRequestMethod())) {
                send(exchange, 405, "text/plain; charset=utf-8", "method not allowed\n");
            } else if ("/metrics".equals(path)) {
                send(exchange, 200, CONTENT_TYPE, render());
            } else if ("/health".equals(path)) {
                send(exchange, 200, "text/plain; charset=utf-8", "OK\n");
            } else if ("/".equals(path)) {
                send(exchange, 200, "text/plain; charset=utf-8", "GPU cluster simulator (dcgm-exporter format): "
                        + fleet.nodeCount() + " nodes, " + fleet.gpuCount() + " GPUs, " + fleet.podCount()
                        + " GPU pods; see /metrics\n");
            } else {
                send(exchange, 404, "text/plain; charset=utf-8", "not found\n");
            }
        } catch (RuntimeException e) {
            System.err.println("dcgm endpoint: " + e);
        }
    }

    private static void send(HttpExchange exchange, int status, String contentType, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", contentType);
        boolean head = "HEAD".equals(exchange.getRequestMethod());
        exchange.sendResponseHeaders(status, head ? -1 : bytes.length);
        if (!head) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
        try {
            executor.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
