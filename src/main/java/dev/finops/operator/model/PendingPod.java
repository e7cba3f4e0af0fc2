package dev.finops.operator.model;

import io.fabric8.kubernetes.api.model.NodeSelectorRequirement;
import java.util.List;
import java.util.Map;

/**
 * An unscheduled pod that requests whole GPUs, with what it demands of a node's labels.
 *
 * @param nodeSelector the pod's spec.nodeSelector
 * @param requiredTerms the matchExpressions of its required node affinity terms (the terms are ORed)
 */
public record PendingPod(String uid, long gpus, Map<String, String> nodeSelector,
        List<List<NodeSelectorRequirement>> requiredTerms) {
}
