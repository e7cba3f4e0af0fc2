package dev.finops.operator.workload;

import dev.finops.operator.model.LabelSelectorMatcher;
import dev.finops.operator.model.WorkloadRef;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import io.fabric8.kubernetes.api.model.OwnerReference;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A pod's top-level workload, followed through live objects and verified at every step, never taken from what the
 * pod claims: each controller owner reference must name an object that exists with that uid, and that object must
 * select its child (its label selector, or the name label its controller writes, per {@link WorkloadKind}). A pod
 * that claims an owner it does not belong to is still charged, but leads to no workload: it can never get its
 * claimed owner stopped. Pods of a RayCluster of a RayJob lead to the RayJob, Jobs of a JobSet to the JobSet (and
 * to its TrainJob), pods of a LeaderWorkerSet through their StatefulSets (and, for workers, the leader pod) to the
 * LeaderWorkerSet; a CronJob's Job stays the Job (the budget stops the CronJob as well).
 */
final class OwnerChain {

    /** Deeper chains than any known controller builds (LeaderWorkerSet workers: 4) are not followed. */
    static final int MAX_DEPTH = 6;

    /**
     * Where a pod's chain led: its top-level workload (null for a pod no controller owns), or, when a link did not
     * hold, why ({@code unverified}) and the workload it claimed.
     */
    record Resolution(WorkloadRef workload, String unverified, WorkloadRef claimed) {

        boolean verified() {
            return unverified == null;
        }
    }

    private final ApiObjects objects;

    OwnerChain(ApiObjects objects) {
        this.objects = objects;
    }

    /** The chain of a live pod (or of any object: a workload's own controllers). */
    Resolution resolve(HasMetadata pod) {
        HasMetadata child = pod;
        WorkloadRef top = null;
        for (int depth = 0; depth < MAX_DEPTH; depth++) {
            OwnerReference link = controllerOf(child);
            if (link == null || WorkloadKind.ofGroupKind(link.getApiVersion(), link.getKind())
                    .filter(row -> row.selects().kind() == WorkloadKind.Selects.Kind.NOT_A_PARENT).isPresent()) {
                break;
            }
            WorkloadRef claimed = new WorkloadRef(link.getApiVersion(), link.getKind(),
                    child.getMetadata().getNamespace(), link.getName());
            ApiObjects.Read read = objects.read(claimed);
            if (!read.found()) {
                // an owner that cannot be read (no CRD, no rights) is the workload to report as such; one that
                // does not exist was never this pod's
                return read.unavailable() != null ? new Resolution(claimed, null, claimed)
                        : unverified(pod, child, claimed, "does not exist");
            }
            GenericKubernetesResource owner = read.object();
            if (!Objects.equals(owner.getMetadata().getUid(), link.getUid())) {
                return unverified(pod, child, claimed, "has uid " + owner.getMetadata().getUid() + ", not the "
                        + link.getUid() + " its owner reference names");
            }
            String notSelected = notSelected(owner, child);
            if (notSelected != null) {
                return unverified(pod, child, claimed, notSelected);
            }
            top = claimed;
            child = owner;
        }
        return new Resolution(top, null, top);
    }

    private static Resolution unverified(HasMetadata pod, HasMetadata child, WorkloadRef claimed, String why) {
        String who = child == pod ? "it" : describe(child) + ", on its owner chain,";
        return new Resolution(null, "the ownership of pod " + pod.getMetadata().getName() + " could not be "
                + "verified: " + who + " claims " + claimed.describe() + " as its controller, which " + why
                + "; the pod is charged, but never gets that workload stopped", claimed);
    }

    /** Why {@code owner} does not select {@code child}; null when it does (or its kind has no rule: uid only). */
    static String notSelected(GenericKubernetesResource owner, HasMetadata child) {
        WorkloadKind row = WorkloadKind.ofGroupKind(owner.getApiVersion(), owner.getKind()).orElse(null);
        if (row == null) {
            return null;
        }
        Map<String, String> labels = child.getMetadata().getLabels() == null ? Map.of()
                : child.getMetadata().getLabels();
        String name = owner.getMetadata().getName();
        return switch (row.selects().kind()) {
            case SELECTOR -> row.selects().label() != null && selector(owner) == null
                    ? labelled(row, name, labels, child)
                    : selects(owner, labels) ? null : "does not select it (its spec.selector does not match the "
                            + "labels of " + describe(child) + ")";
            case LABEL -> labelled(row, name, labels, child);
            case SAME_NAME -> name.equals(child.getMetadata().getName()) ? null : "does not select it (its "
                    + "controller creates only " + name + ", not " + child.getMetadata().getName() + ")";
            case NOT_A_PARENT -> "is never a pod's controller";
        };
    }

    private static String labelled(WorkloadKind row, String name, Map<String, String> labels, HasMetadata child) {
        return name.equals(labels.get(row.selects().label())) ? null : "does not select it (" + describe(child)
                + " lacks the label " + row.selects().label() + "=" + name + " its controller writes)";
    }

    private static Map<?, ?> selector(GenericKubernetesResource owner) {
        Object selector = owner.getAdditionalProperties().get("spec") instanceof Map<?, ?> spec
                ? spec.get("selector") : null;
        return selector instanceof Map<?, ?> map && !map.isEmpty() ? map : null;
    }

    private static boolean selects(GenericKubernetesResource owner, Map<String, String> labels) {
        Map<?, ?> map = selector(owner);
        if (map == null) {
            return false; // an owner without a selector proves nothing
        }
        try {
            return LabelSelectorMatcher.compile("spec.selector", labelSelector(map)).test(labels);
        } catch (RuntimeException e) {
            return false; // a selector the API server would not have taken
        }
    }

    @SuppressWarnings("unchecked")
    private static LabelSelector labelSelector(Map<?, ?> map) {
        LabelSelector selector = new LabelSelector();
        if (map.get("matchLabels") instanceof Map<?, ?> matchLabels) {
            selector.setMatchLabels((Map<String, String>) matchLabels);
        }
        if (map.get("matchExpressions") instanceof List<?> expressions) {
            selector.setMatchExpressions(expressions.stream().map(Map.class::cast)
                    .map(e -> new LabelSelectorRequirement((String) e.get("key"), (String) e.get("operator"),
                            (List<String>) e.get("values")))
                    .toList());
        }
        return selector;
    }

    static OwnerReference controllerOf(HasMetadata object) {
        List<OwnerReference> owners = object.getMetadata().getOwnerReferences();
        return owners == null ? null : owners.stream().filter(o -> Boolean.TRUE.equals(o.getController()))
                .findFirst().orElse(null);
    }

    private static String describe(HasMetadata object) {
        return object.getKind() + " " + object.getMetadata().getName();
    }
}
