package dev.finops.operator;

import io.fabric8.kubernetes.api.model.ContainerStateBuilder;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Instant;
import java.util.Map;

/** One-GPU pods running on a node since a given time, owned by a workload, as the tests create them. */
public final class GpuPods {

    private GpuPods() {
    }

    /** Creates the pod owned (as controller) by {@code ownerKind ownerName}, then reports it running since {@code start}. */
    public static Pod running(KubernetesClient client, String namespace, String name, String ownerApiVersion,
            String ownerKind, String ownerName, Map<String, String> labels, String node, Instant start) {
        // owned as its controller would own it: the owner's real uid, and the label a Job's controller writes, since
        // the operator acts on a pod's owner only once the live owner confirms it
        var owner = client.genericKubernetesResources(ownerApiVersion, ownerKind).inNamespace(namespace)
                .withName(ownerName).get();
        Map<String, String> owned = new java.util.HashMap<>(labels);
        if ("Job".equals(ownerKind)) {
            owned.put("batch.kubernetes.io/job-name", ownerName);
        }
        Pod pod = client.resource(new PodBuilder().withNewMetadata().withName(name).withNamespace(namespace)
                .addToLabels(owned).addNewOwnerReference().withApiVersion(ownerApiVersion).withKind(ownerKind)
                .withName(ownerName).withUid(owner != null ? owner.getMetadata().getUid() : ownerName + "-uid")
                .withController(true).endOwnerReference().endMetadata()
                .withNewSpec().withNodeName(node).addNewContainer().withName("train").withImage("trainer")
                .withNewResources().addToRequests("nvidia.com/gpu", new Quantity("1"))
                .addToLimits("nvidia.com/gpu", new Quantity("1")).endResources().endContainer().endSpec()
                .build()).create();
        pod.setStatus(new PodStatusBuilder().withPhase("Running").withStartTime(start.toString())
                .addToContainerStatuses(new ContainerStatusBuilder().withName("train").withImage("trainer")
                        .withImageID("").withReady(true).withRestartCount(0)
                        .withState(new ContainerStateBuilder().withNewRunning().withStartedAt(start.toString())
                                .endRunning().build()).build())
                .build());
        return client.resource(pod).updateStatus();
    }
}
