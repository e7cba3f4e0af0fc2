package dev.finops.operator.workload;

import dev.finops.operator.model.WorkloadRef;
import io.fabric8.kubernetes.api.model.APIResource;
import io.fabric8.kubernetes.api.model.APIResourceList;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Any workload object read by its API version and kind, as a generic resource: the kinds of the table by their
 * known plural (no discovery request), others by the API server's discovery, remembered. What cannot be read is
 * said, never thrown: a kind no CRD serves, a refused read (with the chart value that grants it).
 */
final class ApiObjects {

    /** One read: the object, or why there is none ({@code unavailable} null and no object: it does not exist). */
    record Read(GenericKubernetesResource object, String unavailable) {

        static Read gone() {
            return new Read(null, null);
        }

        static Read unavailable(String why) {
            return new Read(null, why);
        }

        boolean found() {
            return object != null;
        }
    }

    private final KubernetesClient client;
    private final Map<String, ResourceDefinitionContext> discovered = new ConcurrentHashMap<>();

    ApiObjects(KubernetesClient client) {
        this.client = client;
    }

    Read read(WorkloadRef ref) {
        return read(ref.apiVersion(), ref.kind(), ref.namespace(), ref.name());
    }

    Read read(String apiVersion, String kind, String namespace, String name) {
        Optional<ResourceDefinitionContext> context = context(apiVersion, kind);
        if (context.isEmpty()) {
            return Read.unavailable(notServed(apiVersion, kind));
        }
        try {
            GenericKubernetesResource object = resource(context.get(), namespace, name).get();
            if (object != null) {
                return new Read(object, null);
            }
            // a 404: the object is gone, or (a kind of the table) no CRD serves its kind
            return served(apiVersion, context.get().getPlural()) ? Read.gone()
                    : Read.unavailable(notServed(apiVersion, kind));
        } catch (KubernetesClientException e) {
            if (e.getCode() == 403) {
                return Read.unavailable(forbidden("get", apiVersion, kind, context.get().getPlural()));
            }
            throw e;
        }
    }

    /** The object to patch or scale; its kind is served (it was read before). */
    Resource<GenericKubernetesResource> resource(WorkloadRef ref) {
        ResourceDefinitionContext context = context(ref.apiVersion(), ref.kind()).orElseThrow(
                () -> new IllegalStateException(notServed(ref.apiVersion(), ref.kind())));
        return resource(context, ref.namespace(), ref.name());
    }

    private Resource<GenericKubernetesResource> resource(ResourceDefinitionContext context, String namespace,
            String name) {
        return client.genericKubernetesResources(context).inNamespace(namespace).withName(name);
    }

    /** "grant patch on pytorchjobs.kubeflow.org (set rbac.kubeflow.enabled=true in the chart)". */
    static String forbidden(String verb, String apiVersion, String kind, String plural) {
        return WorkloadKind.ofGroupKind(apiVersion, kind).map(row -> row.forbidden(verb))
                .orElse("the operator may not " + verb + " " + plural + "." + group(apiVersion) + ": grant " + verb
                        + " on it (for a kind with /scale: rbac.workloadActions.extraScaleTargets in the chart)");
    }

    static String notServed(String apiVersion, String kind) {
        return "no CRD serves " + kind + " in " + apiVersion + " on this cluster, so the operator cannot read or stop "
                + "it";
    }

    private Optional<ResourceDefinitionContext> context(String apiVersion, String kind) {
        if ("v1".equals(apiVersion) && "Pod".equals(kind)) {
            return Optional.of(context("", "v1", "pods", kind));
        }
        Optional<WorkloadKind> row = WorkloadKind.of(apiVersion, kind);
        if (row.isPresent()) {
            return Optional.of(context(row.get().group(), apiVersion.substring(apiVersion.indexOf('/') + 1),
                    row.get().plural(), kind));
        }
        String key = apiVersion + "/" + kind;
        ResourceDefinitionContext known = discovered.get(key);
        if (known != null) {
            return Optional.of(known);
        }
        Optional<ResourceDefinitionContext> found = discover(apiVersion, kind);
        found.ifPresent(context -> discovered.put(key, context));
        return found;
    }

    private Optional<ResourceDefinitionContext> discover(String apiVersion, String kind) {
        APIResourceList resources = apiResources(apiVersion);
        if (resources == null || resources.getResources() == null) {
            return Optional.empty();
        }
        return resources.getResources().stream()
                .filter(resource -> kind.equals(resource.getKind()) && !resource.getName().contains("/"))
                .findFirst()
                .map(resource -> context(group(apiVersion), apiVersion.substring(apiVersion.indexOf('/') + 1),
                        resource.getName(), kind));
    }

    private boolean served(String apiVersion, String plural) {
        APIResourceList resources = apiResources(apiVersion);
        return resources != null && resources.getResources() != null && resources.getResources().stream()
                .map(APIResource::getName).anyMatch(plural::equals);
    }

    private APIResourceList apiResources(String apiVersion) {
        try {
            return client.getApiResources(apiVersion);
        } catch (KubernetesClientException e) {
            if (e.getCode() == 404) {
                return null;
            }
            throw e;
        }
    }

    private static ResourceDefinitionContext context(String group, String version, String plural, String kind) {
        return new ResourceDefinitionContext.Builder().withGroup(group).withVersion(version).withPlural(plural)
                .withKind(kind).withNamespaced(true).build();
    }

    static String group(String apiVersion) {
        return apiVersion.contains("/") ? apiVersion.substring(0, apiVersion.indexOf('/')) : "";
    }
}
