package dev.finops.operator.workload;

import dev.finops.operator.model.WorkloadRef;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResourceList;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.MixedOperation;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * The Deployments, StatefulSets, Jobs and CronJobs (and, through {@link RecordedCustomWorkloads}, the ML kinds of
 * the table) that carry a restore record, kept by informers selected on the
 * record's label ({@code finops.dev/suspended=true}): after the first search of a scope (all namespaces, or one),
 * finding an owner's records costs no API call, so an enforcing budget or a pool no longer lists four kinds on
 * every pass. The informers hold only the labelled workloads, which are few. Where the operator may list these
 * kinds but not watch them (RBAC from before this version), each search lists them instead, as it did then.
 */
final class RecordedWorkloads implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(RecordedWorkloads.class);
    private static final String ALL = "";

    private final KubernetesClient client;
    private final RecordedCustomWorkloads custom;
    private final Map<String, List<Kind<?>>> scopes = new ConcurrentHashMap<>();
    /** Scopes whose watch was refused: searched by listing. */
    private final Map<String, Boolean> listOnly = new ConcurrentHashMap<>();

    private record Kind<T extends HasMetadata>(String apiVersion, SharedIndexInformer<T> informer) {
    }

    RecordedWorkloads(KubernetesClient client, Clock clock) {
        this.client = client;
        this.custom = new RecordedCustomWorkloads(client, clock);
    }

    /**
     * The workloads in {@code namespace} (every namespace when empty) carrying a record of {@code owner}. The first
     * call for a scope starts its informers and waits for their list; a refused list (403) throws as a list would,
     * and is tried again on the next call.
     */
    List<WorkloadRef> recordedBy(Optional<String> namespace, String owner) {
        String scope = namespace.orElse(ALL);
        List<WorkloadRef> refs = new ArrayList<>();
        if (listOnly.containsKey(scope)) {
            listed(scope).forEach(found -> collect(found.apiVersion(), found.workload(), owner, refs));
            custom.collect(scope, owner, refs);
            return refs;
        }
        List<Kind<?>> kinds;
        try {
            kinds = scope(scope);
        } catch (KubernetesClientException e) {
            if (e.getCode() != 403 || !listable(scope)) {
                throw e;
            }
            listOnly.put(scope, true);
            LOG.warnf("May list but not watch the workloads carrying a restore record in %s; searching them by a "
                    + "list each time (grant watch on deployments, statefulsets, jobs and cronjobs to save it)",
                    scope.isEmpty() ? "all namespaces" : "namespace " + scope);
            return recordedBy(namespace, owner);
        }
        for (Kind<?> kind : kinds) {
            kind.informer().getStore().list().forEach(workload -> collect(kind.apiVersion(), workload, owner, refs));
        }
        custom.collect(scope, owner, refs);
        return refs;
    }

    private static void collect(String apiVersion, HasMetadata workload, String owner, List<WorkloadRef> refs) {
        RestoreRecord.read(workload.getMetadata().getAnnotations())
                .filter(record -> owner.equals(record.owner()) && record.boundTo(workload.getMetadata().getUid()))
                .ifPresent(record -> refs.add(new WorkloadRef(apiVersion, workload.getKind(),
                        workload.getMetadata().getNamespace(), workload.getMetadata().getName())));
    }

    private record Listed(String apiVersion, HasMetadata workload) {
    }

    /** The labelled workloads of a scope by four lists (a refused list throws, as before). */
    private List<Listed> listed(String namespace) {
        List<Listed> found = new ArrayList<>();
        list(client.apps().deployments(), namespace).forEach(w -> found.add(new Listed("apps/v1", w)));
        list(client.apps().statefulSets(), namespace).forEach(w -> found.add(new Listed("apps/v1", w)));
        list(client.batch().v1().jobs(), namespace).forEach(w -> found.add(new Listed("batch/v1", w)));
        list(client.batch().v1().cronjobs(), namespace).forEach(w -> found.add(new Listed("batch/v1", w)));
        return found;
    }

    private boolean listable(String namespace) {
        try {
            listed(namespace);
            return true;
        } catch (KubernetesClientException e) {
            return false;
        }
    }

    private static <T extends HasMetadata, L extends KubernetesResourceList<T>> List<T> list(
            MixedOperation<T, L, ?> kind, String namespace) {
        var where = namespace.isEmpty() ? kind.inAnyNamespace() : kind.inNamespace(namespace);
        return where.withLabel(RestoreRecord.LABEL, "true").list().getItems();
    }

    private List<Kind<?>> scope(String namespace) {
        List<Kind<?>> kinds = scopes.get(namespace);
        if (kinds != null) {
            return kinds;
        }
        synchronized (this) {
            kinds = scopes.get(namespace);
            if (kinds == null) {
                kinds = start(namespace);
                scopes.put(namespace, kinds);
                LOG.infof("Watching the workloads that carry a restore record in %s",
                        namespace.isEmpty() ? "all namespaces" : "namespace " + namespace);
            }
            return kinds;
        }
    }

    private List<Kind<?>> start(String namespace) {
        List<Kind<?>> started = new ArrayList<>();
        try {
            started.add(kind("apps/v1", client.apps().deployments(), namespace));
            started.add(kind("apps/v1", client.apps().statefulSets(), namespace));
            started.add(kind("batch/v1", client.batch().v1().jobs(), namespace));
            started.add(kind("batch/v1", client.batch().v1().cronjobs(), namespace));
            return List.copyOf(started);
        } catch (RuntimeException e) {
            started.forEach(kind -> kind.informer().close());
            throw e;
        }
    }

    private static <T extends HasMetadata, L extends KubernetesResourceList<T>> Kind<T> kind(String apiVersion,
            MixedOperation<T, L, ?> kind, String namespace) {
        var where = namespace.isEmpty() ? kind.inAnyNamespace() : kind.inNamespace(namespace);
        SharedIndexInformer<T> informer = where.withLabel(RestoreRecord.LABEL, "true").runnableInformer(0);
        try {
            informer.run();
        } catch (RuntimeException e) {
            informer.close();
            throw refused(e);
        }
        return new Kind<>(apiVersion, informer);
    }

    /** The API server's refusal behind an informer's failed start (a refused watch arrives wrapped). */
    private static RuntimeException refused(RuntimeException e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof KubernetesClientException refusal) {
                return refusal;
            }
        }
        return e;
    }

    @Override
    public void close() {
        scopes.values().forEach(kinds -> kinds.forEach(kind -> kind.informer().close()));
        scopes.clear();
        custom.close();
    }
}
