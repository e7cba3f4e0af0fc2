package dev.finops.operator.status;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Turns condition transitions into Kubernetes Events on the resource, so {@code kubectl describe} and event
 * pipelines see them: a Warning when a condition turns to its bad state (Valid or PricesKnown False,
 * BudgetExceeded True), Normal when it recovers. Only transitions emit, so a steady state makes no Event.
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

    public void publish(HasMetadata resource, String type, String reason, String message) {
        // cluster-scoped objects (GpuPools) have their Events in default; namespaced ones in their own namespace
        String namespace = resource.getMetadata().getNamespace() != null ? resource.getMetadata().getNamespace()
                : "default";
        String now = DateTimeFormatter.ISO_INSTANT.format(clock.instant());
        try {
            client.v1().events().inNamespace(namespace).resource(new EventBuilder()
                    .withNewMetadata().withNamespace(namespace)
                    .withName(resource.getMetadata().getName() + "." + UUID.randomUUID().toString().substring(0, 8))
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
