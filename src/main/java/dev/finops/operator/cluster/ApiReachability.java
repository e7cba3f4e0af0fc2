package dev.finops.operator.cluster;

import dev.finops.operator.config.OperatorConfig;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.WatcherException;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * The operator's evidence of whether the API server answers: failed and successful calls of the informers and
 * of status writes, kept as an {@link ApiOutage} that tells accrual how far the cluster view can be trusted.
 */
@ApplicationScoped
public class ApiReachability {

    private static final Logger LOG = Logger.getLogger(ApiReachability.class);

    private final KubernetesClient client;
    private final Clock clock;
    private final ApiOutage outage;
    private final Duration settle;
    private volatile Instant lastProbe;

    public ApiReachability(KubernetesClient client, Clock clock, OperatorConfig config) {
        this.client = client;
        this.clock = clock;
        this.outage = new ApiOutage(config.accrualOutageHold());
        this.settle = config.accrualSettleDelay();
    }

    /** Runs a call to the API server, recording whether it was answered; its exceptions pass on unchanged. */
    public <T> T observe(Supplier<T> call) {
        try {
            T result = call.get();
            answered();
            return result;
        } catch (KubernetesClientException e) {
            if (unanswered(e)) {
                failed(e);
            } else {
                answered(); // a refusal (4xx) is an answer
            }
            throw e;
        }
    }

    public void answered() {
        outage.answered(clock.instant());
    }

    /** A call got no answer (the informers' list or watch failed, a write timed out or got a 5xx). */
    public void failed(Throwable cause) {
        boolean first = outage.holding().isEmpty();
        outage.failed(clock.instant());
        if (first) {
            LOG.warnf("The API server did not answer (%s): ledgers stay at %s until it has answered again for a while, "
                    + "so pods that end meanwhile are charged to their reported end", cause.getMessage(),
                    outage.holding().orElseThrow().minus(settle));
        }
    }

    /**
     * Where ledgers may be accrued to at {@code now}. During an outage nothing else may call the API server (a
     * quiet cluster, budgets with nothing to write), so the API server's own {@code /readyz} (readable by anyone,
     * and failing while etcd is away) is asked whether it answers again.
     */
    public Instant accrueUntil(Instant now) {
        if (outage.awaitingAnswer()) {
            probe();
        }
        return outage.accrueUntil(now, settle);
    }

    private void probe() {
        Instant now = clock.instant();
        if (lastProbe != null && now.isBefore(lastProbe.plusSeconds(1))) {
            return; // one probe a second, however many budgets ask
        }
        lastProbe = now;
        try {
            // "ok", or no such path (an API server without /readyz): it answers; a 5xx or no answer throws
            client.raw(client.getMasterUrl().toString().replaceAll("/+$", "") + "/readyz");
            answered();
        } catch (KubernetesClientException e) {
            if (unanswered(e)) {
                outage.failed(clock.instant());
            } else {
                answered();
            }
        }
    }

    /**
     * Whether an exception means the API server did not answer, rather than refused: no HTTP status at all
     * (connection refused or reset, a timeout), a 5xx (etcd unavailable or timed out), 408 or 429. A watch closed
     * by the server (410 Gone, its timeout) is an answer.
     */
    static boolean unanswered(Throwable e) {
        if (e instanceof WatcherException watch) {
            return unanswered(watch.asClientException());
        }
        if (e instanceof KubernetesClientException k) {
            int code = k.getCode();
            return code <= 0 || code >= 500 || code == 408 || code == 429;
        }
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof java.io.IOException) {
                return true;
            }
        }
        return false; // a malformed object, a bug of ours: the API server did answer
    }
}
