package dev.finops.sim;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Keeps a {@link GpuFleet} in step with the API server through two informers (one list, then watch
 * events): simulated Nodes ({@link SimulatorLabels#SIMULATED}) and Running pods (a field selector, so the
 * informer neither stores nor hears about pending or finished pods; a pod that finishes leaves the
 * selection and arrives as a delete). Each event costs O(GPUs of one node), and scrapes never touch the API.
 */
public final class ClusterGpuWatcher implements AutoCloseable {

    private final SharedIndexInformer<Node> nodes;
    private final SharedIndexInformer<Pod> pods;

    private ClusterGpuWatcher(SharedIndexInformer<Node> nodes, SharedIndexInformer<Pod> pods) {
        this.nodes = nodes;
        this.pods = pods;
    }

    /** Starts both informers and waits (up to {@code syncTimeout}) until their first lists are in the fleet. */
    public static ClusterGpuWatcher start(KubernetesClient client, GpuFleet fleet, Duration syncTimeout) {
        SharedIndexInformer<Node> nodes = client.nodes()
                .withLabel(SimulatorLabels.SIMULATED, "true")
                .runnableInformer(0)
                .addEventHandler(new ResourceEventHandler<>() {
                    @Override
                    public void onAdd(Node node) {
                        fleet.upsertNode(NodeGpuLayout.of(node));
                    }

                    @Override
                    public void onUpdate(Node oldNode, Node node) {
                        fleet.upsertNode(NodeGpuLayout.of(node));
                    }

                    @Override
                    public void onDelete(Node node, boolean deletedFinalStateUnknown) {
                        fleet.removeNode(node.getMetadata().getName());
                    }
                });
        SharedIndexInformer<Pod> pods = client.pods().inAnyNamespace()
                .withField("status.phase", "Running")
                .runnableInformer(0)
                .removeNamespaceIndex()
                .addEventHandler(new ResourceEventHandler<>() {
                    @Override
                    public void onAdd(Pod pod) {
                        apply(pod);
                    }

                    @Override
                    public void onUpdate(Pod oldPod, Pod pod) {
                        apply(pod);
                    }

                    @Override
                    public void onDelete(Pod pod, boolean deletedFinalStateUnknown) {
                        fleet.removePod(pod.getMetadata().getUid());
                    }

                    private void apply(Pod pod) {
                        PodGpuDemand.of(pod).ifPresentOrElse(fleet::upsertPod,
                                () -> fleet.removePod(pod.getMetadata().getUid()));
                    }
                });
        ClusterGpuWatcher watcher = new ClusterGpuWatcher(nodes, pods);
        try {
            var nodesStarted = nodes.start().toCompletableFuture();
            var podsStarted = pods.start().toCompletableFuture();
            nodesStarted.get(syncTimeout.toMillis(), TimeUnit.MILLISECONDS);
            podsStarted.get(syncTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            watcher.close();
            throw new IllegalStateException("informers did not sync within " + syncTimeout + ": " + e, e);
        }
        return watcher;
    }

    public boolean hasSynced() {
        return nodes.hasSynced() && pods.hasSynced();
    }

    @Override
    public void close() {
        nodes.close();
        pods.close();
    }
}
