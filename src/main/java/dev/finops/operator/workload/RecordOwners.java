package dev.finops.operator.workload;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Whether the owner a restore record names exists: an ExperimentBudget of that name in the workload's namespace,
 * or the GpuPool of a {@code gpupool/<name>} record. A record naming an owner that does not exist (made up by a
 * workload editor to keep it from ever being stopped, or left by an owner deleted without its finalizer) is
 * ignored. An owner the operator cannot look up (its CRD not served, no rights) counts as existing: never ignore
 * a record on a guess. Answers are kept for {@link #KEPT}, so an enforcing pass does not read its own budget per
 * workload.
 */
final class RecordOwners {

    static final Duration KEPT = Duration.ofSeconds(30);
    static final String POOL_PREFIX = "gpupool/";
    private static final ResourceDefinitionContext BUDGETS = context("experimentbudgets", "ExperimentBudget", true);
    private static final ResourceDefinitionContext POOLS = context("gpupools", "GpuPool", false);

    private record Answer(boolean exists, Instant until) {
    }

    private final KubernetesClient client;
    private final Clock clock;
    private final Map<String, Answer> answers = new ConcurrentHashMap<>();

    RecordOwners(KubernetesClient client, Clock clock) {
        this.client = client;
        this.clock = clock;
    }

    boolean exists(String owner, String namespace) {
        String key = owner.startsWith(POOL_PREFIX) ? owner : namespace + "/" + owner;
        Instant now = clock.instant();
        Answer known = answers.get(key);
        if (known != null && now.isBefore(known.until())) {
            return known.exists();
        }
        boolean exists = lookUp(owner, namespace);
        if (answers.size() > 4096) {
            answers.clear(); // owners are any tenant's to name: keep the memory bounded
        }
        answers.put(key, new Answer(exists, now.plus(KEPT)));
        return exists;
    }

    private boolean lookUp(String owner, String namespace) {
        try {
            var found = owner.startsWith(POOL_PREFIX)
                    ? client.genericKubernetesResources(POOLS).withName(owner.substring(POOL_PREFIX.length())).get()
                    : client.genericKubernetesResources(BUDGETS).inNamespace(namespace).withName(owner).get();
            if (found != null) {
                return true;
            }
            return !served(owner.startsWith(POOL_PREFIX) ? "gpupools" : "experimentbudgets");
        } catch (KubernetesClientException e) {
            return true; // refused or failed: cannot tell, so the record is honoured
        }
    }

    private boolean served(String plural) {
        try {
            var resources = client.getApiResources("finops.dev/v1alpha1");
            return resources != null && resources.getResources().stream().anyMatch(r -> plural.equals(r.getName()));
        } catch (KubernetesClientException e) {
            return false;
        }
    }

    private static ResourceDefinitionContext context(String plural, String kind, boolean namespaced) {
        return new ResourceDefinitionContext.Builder().withGroup("finops.dev").withVersion("v1alpha1")
                .withPlural(plural).withKind(kind).withNamespaced(namespaced).build();
    }
}
