package dev.finops.sim.ml;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads nested fields of a custom resource held as plain maps (apimachinery's {@code unstructured.Nested*}):
 * the simulator reads the upstream CRDs' objects without generated classes for them.
 */
final class Unstructured {

    private Unstructured() {
    }

    /** The value at {@code path} under the resource's top level (e.g. "spec", "runPolicy", "suspend"). */
    static Optional<Object> field(GenericKubernetesResource resource, String... path) {
        return field(resource.getAdditionalProperties(), path);
    }

    static Optional<Object> field(Map<String, Object> root, String... path) {
        Object current = root;
        for (String key : path) {
            if (!(current instanceof Map<?, ?> map)) {
                return Optional.empty();
            }
            current = map.get(key);
        }
        return Optional.ofNullable(current);
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Map<String, Object> root, String... path) {
        return field(root, path).filter(Map.class::isInstance).map(m -> (Map<String, Object>) m).orElse(Map.of());
    }

    static Map<String, Object> map(GenericKubernetesResource resource, String... path) {
        return map(resource.getAdditionalProperties(), path);
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> list(Map<String, Object> root, String... path) {
        return field(root, path).filter(List.class::isInstance).map(l -> (List<Map<String, Object>>) l)
                .orElse(List.of());
    }

    static String string(Map<String, Object> root, String... path) {
        return field(root, path).map(Object::toString).orElse(null);
    }

    static String string(GenericKubernetesResource resource, String... path) {
        return string(resource.getAdditionalProperties(), path);
    }

    static boolean isTrue(Map<String, Object> root, String... path) {
        return field(root, path).map(v -> Boolean.TRUE.equals(v) || "true".equals(v)).orElse(false);
    }

    static boolean isTrue(GenericKubernetesResource resource, String... path) {
        return isTrue(resource.getAdditionalProperties(), path);
    }

    /** An integer field, or {@code fallback} when it is absent (JSON numbers arrive as Integer or Long). */
    static int integer(Map<String, Object> root, int fallback, String... path) {
        return field(root, path).filter(Number.class::isInstance).map(n -> ((Number) n).intValue()).orElse(fallback);
    }
}
