package dev.finops.operator.pool;

import dev.finops.operator.cluster.ClusterMapping;
import dev.finops.operator.model.NodeGpus;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirement;
import io.fabric8.kubernetes.api.model.NodeSelectorTerm;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** Unscheduled GPU pods, kept current by an informer on pods without a node: the demand not yet placed. */
@ApplicationScoped
public class PendingGpuPods {

    private final KubernetesClient client;
    private final Map<String, PendingPod> pending = new ConcurrentHashMap<>();
    private SharedIndexInformer<Pod> informer;

    public PendingGpuPods(KubernetesClient client) {
        this.client = client;
    }

    void start(@Observes StartupEvent event) {
        informer = client.pods().inAnyNamespace().withField("spec.nodeName", "").inform(new Handler());
    }

    void stop(@Observes ShutdownEvent event) {
        if (informer != null) {
            informer.close();
        }
    }

    public Collection<PendingPod> all() {
        return pending.values();
    }

    static Optional<PendingPod> of(Pod pod) {
        if (pod.getSpec() == null || pod.getSpec().getNodeName() != null
                || (pod.getStatus() != null && !"Pending".equals(pod.getStatus().getPhase())
                        && pod.getStatus().getPhase() != null)) {
            return Optional.empty();
        }
        long gpus = ClusterMapping.gpuPod(pod)
                .map(gpuPod -> gpuPod.gpuRequests().getOrDefault(NodeGpus.GPU_RESOURCE, 0L)).orElse(0L);
        if (gpus <= 0) {
            return Optional.empty();
        }
        List<List<NodeSelectorRequirement>> terms = List.of();
        var affinity = pod.getSpec().getAffinity();
        if (affinity != null && affinity.getNodeAffinity() != null
                && affinity.getNodeAffinity().getRequiredDuringSchedulingIgnoredDuringExecution() != null) {
            terms = affinity.getNodeAffinity().getRequiredDuringSchedulingIgnoredDuringExecution()
                    .getNodeSelectorTerms().stream()
                    .map(NodeSelectorTerm::getMatchExpressions)
                    .map(expressions -> expressions == null ? List.<NodeSelectorRequirement>of()
                            : List.copyOf(expressions))
                    .toList();
        }
        Map<String, String> selector = pod.getSpec().getNodeSelector();
        return Optional.of(new PendingPod(pod.getMetadata().getUid(), gpus,
                selector == null ? Map.of() : Map.copyOf(selector), terms));
    }

    private final class Handler implements ResourceEventHandler<Pod> {

        @Override
        public void onAdd(Pod pod) {
            of(pod).ifPresent(found -> pending.put(found.uid(), found));
        }

        @Override
        public void onUpdate(Pod before, Pod after) {
            of(after).ifPresentOrElse(found -> pending.put(found.uid(), found),
                    () -> pending.remove(after.getMetadata().getUid()));
        }

        @Override
        public void onDelete(Pod pod, boolean finalStateUnknown) {
            pending.remove(pod.getMetadata().getUid());
        }
    }
}
