package dev.finops.operator.cluster;

import dev.finops.operator.model.GpuPod;
import dev.finops.operator.model.LabelSelectorMatcher;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * GPU pods by namespace and by label, so a budget finds its pods by its selector's equality labels instead
 * of scanning every pod: a pass over all budgets costs the sum of their candidates, never budgets x pods.
 */
public final class PodIndex {

    private final Map<String, NamespacePods> namespaces = new ConcurrentHashMap<>();

    public void put(GpuPod pod) {
        namespaces.computeIfAbsent(pod.namespace(), ns -> new NamespacePods()).put(pod);
    }

    public void remove(String namespace, String uid) {
        NamespacePods pods = namespaces.get(namespace);
        if (pods != null) {
            pods.remove(uid);
        }
    }

    /** The GPU pods of a namespace that the selector matches. */
    public List<GpuPod> select(String namespace, LabelSelectorMatcher selector) {
        NamespacePods pods = namespaces.get(namespace);
        return pods == null ? List.of() : pods.select(selector);
    }

    public List<GpuPod> all() {
        List<GpuPod> all = new ArrayList<>();
        namespaces.values().forEach(ns -> all.addAll(ns.snapshot()));
        return all;
    }

    public int size() {
        return namespaces.values().stream().mapToInt(NamespacePods::size).sum();
    }

    private static final class NamespacePods {

        private final Map<String, GpuPod> byUid = new HashMap<>();
        private final Map<String, Set<String>> byLabel = new HashMap<>();

        synchronized void put(GpuPod pod) {
            remove(pod.uid());
            byUid.put(pod.uid(), pod);
            pod.labels().forEach((key, value) -> byLabel.computeIfAbsent(key + "=" + value, k -> new HashSet<>())
                    .add(pod.uid()));
        }

        synchronized void remove(String uid) {
            GpuPod old = byUid.remove(uid);
            if (old == null) {
                return;
            }
            old.labels().forEach((key, value) -> {
                Set<String> uids = byLabel.get(key + "=" + value);
                if (uids != null) {
                    uids.remove(uid);
                    if (uids.isEmpty()) {
                        byLabel.remove(key + "=" + value);
                    }
                }
            });
        }

        synchronized List<GpuPod> select(LabelSelectorMatcher selector) {
            Collection<String> candidates = null;
            for (Map.Entry<String, String> label : selector.matchLabels().entrySet()) {
                Set<String> uids = byLabel.getOrDefault(label.getKey() + "=" + label.getValue(), Set.of());
                if (candidates == null || uids.size() < candidates.size()) {
                    candidates = uids;
                }
            }
            List<GpuPod> selected = new ArrayList<>();
            if (candidates == null) {
                byUid.values().stream().filter(pod -> selector.test(pod.labels())).forEach(selected::add);
            } else {
                for (String uid : candidates) {
                    GpuPod pod = byUid.get(uid);
                    if (selector.test(pod.labels())) {
                        selected.add(pod);
                    }
                }
            }
            return selected;
        }

        synchronized List<GpuPod> snapshot() {
            return List.copyOf(byUid.values());
        }

        synchronized int size() {
            return byUid.size();
        }
    }
}
