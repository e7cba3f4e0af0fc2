package dev.finops.operator.status;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * Turns condition transitions into Kubernetes Events on the resource, so {@code kubectl describe} and event
 * pipelines see them: a Warning when a condition turns to its bad state (Valid or PricesKnown False,
 * BudgetExceeded True), Normal when it recovers; a Warning too when a reason that is news in itself appears (the
 * ledger restarted, or could not advance). Only transitions emit, so a steady state makes no Event.
 */
@ApplicationScoped
public class ConditionEvents {

    private static final Logger LOG = Logger.getLogger(ConditionEvents.class);
    /** Condition types and the status that is bad news for each. */
    private static final Map<String, String> BAD_WHEN = Map.of(
            "Valid", Conditions.FALSE,
            "PricesKnown", Conditions.FALSE,
            "BudgetExceeded", Conditions.TRUE,
            "ForecastExceedsLimit", Conditions.TRUE,
            "ProviderSynced", Conditions.FALSE,
            "SpotFallbackActive", Conditions.TRUE,
            "IdleDetectionAvailable", Conditions.FALSE,
            "SpecCurrent", Conditions.FALSE);

    /** Reasons that are news whatever the condition's status: the ledger restarted or could not advance. */
    private static final Set<String> WARN_WHEN_REASON_TURNS = Set.of("LedgerRestarted", "Overflow");
    /** The longest name an Event (a DNS subdomain) may have. */
    static final int MAX_NAME = 253;
    private static final int HASH_CHARS = 16;

    private final KubernetesClient client;
    private final Clock clock;

    public ConditionEvents(KubernetesClient client, Clock clock) {
        this.client = client;
        this.clock = clock;
    }

    public void publishTransitions(HasMetadata resource, List<Condition> before, List<Condition> after) {
        for (Condition condition : after == null ? List.<Condition>of() : after) {
            String bad = BAD_WHEN.get(condition.getType());
            String previous = Conditions.find(before, condition.getType()).map(Condition::getStatus).orElse(null);
            String previousReason = Conditions.find(before, condition.getType()).map(Condition::getReason).orElse(null);
            if (WARN_WHEN_REASON_TURNS.contains(condition.getReason())
                    && !Objects.equals(previousReason, condition.getReason())) {
                publish(resource, "Warning", condition.getReason(), condition.getMessage());
                continue;
            }
            if (bad == null || Objects.equals(previous, condition.getStatus())) {
                continue;
            }
            boolean isBad = bad.equals(condition.getStatus());
            if (!isBad && previous == null) {
                continue;
            }
            publish(resource, isBad ? "Warning" : "Normal", condition.getReason(), condition.getMessage());
        }
    }

    /**
     * {@code <object name>.<16 hex>}, at most 253 characters whatever the object's name: the name is cut (to end in an
     * alphanumeric) and the suffix is a hash of what the Event says about whom and when, so the same Event named
     * twice is one object.
     */
    static String eventName(HasMetadata resource, String type, String reason, String message, String now) {
        String identity = String.join("\n", resource.getKind(), String.valueOf(resource.getMetadata().getNamespace()),
                resource.getMetadata().getName(), String.valueOf(resource.getMetadata().getUid()), type, reason,
                String.valueOf(message), now);
        String hash;
        try {
            hash = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(identity.getBytes(StandardCharsets.UTF_8))).substring(0, HASH_CHARS);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
        String prefix = resource.getMetadata().getName();
        int room = MAX_NAME - HASH_CHARS - 1;
        if (prefix.length() > room) {
            prefix = prefix.substring(0, room).replaceAll("[^a-z0-9]+$", "");
        }
        return prefix.isEmpty() ? hash : prefix + "." + hash;
    }

    public void publish(HasMetadata resource, String type, String reason, String message) {
        // cluster-scoped objects (GpuPools) have their Events in default; namespaced ones in their own namespace
        String namespace = resource.getMetadata().getNamespace() != null ? resource.getMetadata().getNamespace()
                : "default";
        String now = DateTimeFormatter.ISO_INSTANT.format(clock.instant());
        try {
            client.v1().events().inNamespace(namespace).resource(new EventBuilder()
                    .withNewMetadata().withNamespace(namespace)
                    .withName(eventName(resource, type, reason, message, now))
                    .endMetadata()
                    .withNewInvolvedObject().withApiVersion(resource.getApiVersion()).withKind(resource.getKind())
                    .withName(resource.getMetadata().getName()).withNamespace(resource.getMetadata().getNamespace())
                    .withUid(resource.getMetadata().getUid()).endInvolvedObject()
                    .withType(type).withReason(reason).withMessage(message)
                    .withFirstTimestamp(now).withLastTimestamp(now).withCount(1)
                    .withNewSource().withComponent("gpu-finops-operator").endSource()
                    .build()).create();
        } catch (KubernetesClientException e) {
            // an Event is a courtesy: losing one must never fail a pass
            LOG.warnf("Could not record event %s on %s/%s: %s", reason, resource.getKind(),
                    resource.getMetadata().getName(), e.getMessage());
        }
    }
}
