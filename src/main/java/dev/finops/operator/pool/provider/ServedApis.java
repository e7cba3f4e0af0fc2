package dev.finops.operator.pool.provider;

import io.fabric8.kubernetes.api.model.APIResourceList;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceList;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.MixedOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import java.util.Optional;

/** Resolves an apiVersion and kind through discovery, so a missing CRD is told apart from a missing object. */
final class ServedApis {

    private ServedApis() {
    }

    static Optional<MixedOperation<GenericKubernetesResource, GenericKubernetesResourceList,
            Resource<GenericKubernetesResource>>> resources(KubernetesClient client, String apiVersion, String kind) {
        APIResourceList served = client.getApiResources(apiVersion);
        if (served == null || served.getResources() == null
                || served.getResources().stream().noneMatch(r -> kind.equals(r.getKind()))) {
            return Optional.empty();
        }
        return Optional.of(client.genericKubernetesResources(apiVersion, kind));
    }

    static String notServed(String apiVersion, String kind) {
        return "The API server does not serve " + kind + " (" + apiVersion + "); install its CRD or fix the "
                + "provider in spec.provider.";
    }
}
