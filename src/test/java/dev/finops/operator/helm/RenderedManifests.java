package dev.finops.operator.helm;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The objects of a multi-document manifest (helm template, helm get manifest, deploy/), as parsed YAML. */
final class RenderedManifests {

    private static final YAMLMapper YAML = new YAMLMapper();
    private static final KubernetesSerialization KUBERNETES = new KubernetesSerialization();

    private final List<Map<String, Object>> objects;

    private RenderedManifests(List<Map<String, Object>> objects) {
        this.objects = objects;
    }

    @SuppressWarnings("unchecked")
    static RenderedManifests parse(String yaml) {
        List<Map<String, Object>> objects = new ArrayList<>();
        try (MappingIterator<Object> documents = YAML.readerFor(Object.class).readValues(yaml)) {
            while (documents.hasNext()) {
                Object document = documents.next();
                if (document instanceof Map<?, ?> map && !map.isEmpty()) {
                    objects.add((Map<String, Object>) map);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("not YAML: " + e.getMessage(), e);
        }
        return new RenderedManifests(objects);
    }

    List<Map<String, Object>> all() {
        return objects;
    }

    List<Map<String, Object>> ofKind(String kind) {
        return objects.stream().filter(o -> kind.equals(o.get("kind"))).toList();
    }

    <T> List<T> ofKind(String kind, Class<T> type) {
        return ofKind(kind).stream().map(o -> KUBERNETES.convertValue(o, type)).toList();
    }

    <T> T one(String kind, Class<T> type) {
        List<T> all = ofKind(kind, type);
        if (all.size() != 1) {
            throw new AssertionError("expected one " + kind + ", found " + all.size());
        }
        return all.get(0);
    }

    /** kind/namespace/name of every object, e.g. {@code Role/team-a/finops}; cluster-scoped ones have no namespace. */
    List<String> identities() {
        return objects.stream().map(RenderedManifests::identity).toList();
    }

    @SuppressWarnings("unchecked")
    static String identity(Map<String, Object> object) {
        Map<String, Object> metadata = (Map<String, Object>) object.get("metadata");
        Object namespace = metadata.get("namespace");
        return object.get("kind") + "/" + (namespace == null ? "" : namespace + "/") + metadata.get("name");
    }
}
