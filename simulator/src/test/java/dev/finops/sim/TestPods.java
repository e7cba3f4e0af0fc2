package dev.finops.sim;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import java.util.Map;

/** Pods as the API server shows them on a kwok node, for the pure tests. */
final class TestPods {

    private TestPods() {
    }

    static Pod running(String uid, String namespace, String name, String node, String resource, int count,
            String workload) {
        return pod(uid, namespace, name, node, "Running", "2025-11-29T10:00:00Z", resource, count, workload);
    }

    static Pod pod(String uid, String namespace, String name, String node, String phase, String startTime,
            String resource, int count, String workload) {
        return new PodBuilder()
                .withNewMetadata().withUid(uid).withNamespace(namespace).withName(name)
                    .withLabels(workload == null ? Map.of() : Map.of(SimulatorLabels.WORKLOAD, workload))
                .endMetadata()
                .withNewSpec().withNodeName(node)
                    .addNewContainer().withName("main")
                        .withNewResources()
                            .addToRequests("memory", new Quantity("1Gi"))
                            .addToRequests(resource, new Quantity(Integer.toString(count)))
                            .withLimits(Map.of(resource, new Quantity(Integer.toString(count))))
                        .endResources()
                    .endContainer()
                .endSpec()
                .withNewStatus().withPhase(phase).withStartTime(startTime).endStatus()
                .build();
    }

    static PodGpuDemand demand(String uid, String node, int gpus) {
        return PodGpuDemand.of(running(uid, "ns", "pod-" + uid, node, SimulatorLabels.GPU_RESOURCE, gpus, "w"))
                .orElseThrow();
    }
}
