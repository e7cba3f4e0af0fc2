package dev.finops.operator.config;

import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Optional;

/** Where the operator's own objects (Lease, price ConfigMap) live. */
public final class OperatorNamespace {

    private OperatorNamespace() {
    }

    /** The configured namespace, else the pod's own (downward API POD_NAMESPACE), else the client's, else default. */
    public static String resolve(Optional<String> configured, KubernetesClient client) {
        return configured
                .or(() -> Optional.ofNullable(System.getenv("POD_NAMESPACE")))
                .or(() -> Optional.ofNullable(client.getNamespace()))
                .orElse("default");
    }
}
