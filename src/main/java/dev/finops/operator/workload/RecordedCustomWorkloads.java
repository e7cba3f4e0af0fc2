package dev.finops.operator.workload;

import dev.finops.operator.model.WorkloadRef;
import io.fabric8.kubernetes.api.model.APIResourceList;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectAccessReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectAccessReviewBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * The ML workloads of the kinds table (Kubeflow jobs, TrainJobs, JobSets, RayJobs, RayClusters, LeaderWorkerSets)
 * that carry a restore record, kept like the built-in kinds by informers selected on the record's label. A kind
 * no CRD serves, or that the operator may not list (its chart family off), has no informer: it is tried again
 * after {@link #RETRY}, so a CRD installed later is found without a restart, and never fails a search.
 */
final class RecordedCustomWorkloads implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(RecordedCustomWorkloads.class);
    static final Duration RETRY = Duration.ofMinutes(5);

    private final KubernetesClient client;
    private final Clock clock;
    private final Map<String, SharedIndexInformer<GenericKubernetesResource>> informers = new ConcurrentHashMap<>();
    private final Map<String, Instant> absentUntil = new ConcurrentHashMap<>();

    RecordedCustomWorkloads(KubernetesClient client, Clock clock) {
        this.client = client;
        this.clock = clock;
    }

    /** Adds the workloads of {@code scope} ("" for every namespace) that carry {@code owner}'s record. */
    void collect(String scope, String owner, List<WorkloadRef> refs) {
        for (WorkloadKind row : WorkloadKind.values()) {
            if (row.family() == WorkloadKind.Family.CORE) {
                continue;
            }
            SharedIndexInformer<GenericKubernetesResource> informer = informer(scope, row);
            if (informer != null) {
                informer.getStore().list().forEach(workload -> RestoreRecord.read(workload.getMetadata()
                        .getAnnotations()).filter(record -> owner.equals(record.owner())
                        && record.boundTo(workload.getMetadata().getUid())).ifPresent(record -> refs.add(
                                new WorkloadRef(row.apiVersion(), row.kind(), workload.getMetadata().getNamespace(),
                                        workload.getMetadata().getName()))));
            }
        }
    }

    private SharedIndexInformer<GenericKubernetesResource> informer(String scope, WorkloadKind row) {
        String key = scope + "|" + row.resource();
        SharedIndexInformer<GenericKubernetesResource> informer = informers.get(key);
        if (informer != null) {
            return informer;
        }
        Instant now = clock.instant();
        Instant until = absentUntil.get(key);
        if (until != null && now.isBefore(until)) {
            return null;
        }
        synchronized (this) {
            informer = informers.get(key);
            if (informer == null) {
                informer = start(scope, row, now);
                if (informer != null) {
                    informers.put(key, informer);
                }
            }
            return informer;
        }
    }

    private SharedIndexInformer<GenericKubernetesResource> start(String scope, WorkloadKind row, Instant now) {
        Optional<String> unavailable = unavailable(scope, row);
        if (unavailable.isPresent()) {
            absentUntil.put(scope + "|" + row.resource(), now.plus(RETRY));
            LOG.debugf("No records searched on %s in %s: %s; tried again in %s", row.resource(),
                    scope.isEmpty() ? "all namespaces" : scope, unavailable.get(), RETRY);
            return null;
        }
        ResourceDefinitionContext context = new ResourceDefinitionContext.Builder().withGroup(row.group())
                .withVersion(row.apiVersion().substring(row.apiVersion().indexOf('/') + 1)).withPlural(row.plural())
                .withKind(row.kind()).withNamespaced(true).build();
        var kind = client.genericKubernetesResources(context);
        var where = scope.isEmpty() ? kind.inAnyNamespace() : kind.inNamespace(scope);
        SharedIndexInformer<GenericKubernetesResource> informer = where.withLabel(RestoreRecord.LABEL, "true")
                .runnableInformer(0);
        try {
            informer.run();
            return informer;
        } catch (RuntimeException e) {
            informer.close();
            absentUntil.put(scope + "|" + row.resource(), now.plus(RETRY));
            LOG.debugf("No records searched on %s in %s: %s (%s); tried again in %s", row.resource(),
                    scope.isEmpty() ? "all namespaces" : scope, reason(e, row), e.getMessage(), RETRY);
            return null;
        }
    }

    /**
     * Why no informer can run on the kind in {@code scope}, asked before one is started (an informer refused logs
     * its error on every try): its API is not served here, or the operator may not list and watch it (a
     * SelfSubjectAccessReview, which every authenticated user may ask, so no right is needed for it).
     */
    private Optional<String> unavailable(String scope, WorkloadKind row) {
        try {
            APIResourceList served = client.getApiResources(row.apiVersion());
            if (served == null || served.getResources() == null
                    || served.getResources().stream().noneMatch(resource -> row.plural().equals(resource.getName()))) {
                return Optional.of("no CRD serves it");
            }
            for (String verb : List.of("list", "watch")) {
                SelfSubjectAccessReview review = new SelfSubjectAccessReviewBuilder().withNewSpec()
                        .withNewResourceAttributes().withGroup(row.group()).withResource(row.plural()).withVerb(verb)
                        .withNamespace(scope.isEmpty() ? null : scope).endResourceAttributes().endSpec().build();
                SelfSubjectAccessReview answer = client.authorization().v1().selfSubjectAccessReview().create(review);
                if (answer.getStatus() == null || !Boolean.TRUE.equals(answer.getStatus().getAllowed())) {
                    return Optional.of(row.forbidden(verb));
                }
            }
            return Optional.empty();
        } catch (KubernetesClientException e) {
            return Optional.of("its API could not be read: " + e.getMessage());
        }
    }

    private static String reason(RuntimeException e, WorkloadKind row) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof KubernetesClientException refusal && refusal.getCode() == 403) {
                return row.forbidden("list");
            }
        }
        return "no CRD serves it";
    }

    @Override
    public void close() {
        informers.values().forEach(SharedIndexInformer::close);
        informers.clear();
    }
}
