package dev.finops.sim.ml;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The pods one simulated controller made (selected by the label it puts on them), indexed by their
 * controller's uid; every change of such a pod wakes its owner, as an {@code Owns(&Pod{})} watch does.
 */
final class OwnedPods implements AutoCloseable {

    private static final String BY_CONTROLLER_UID = "controller-uid";

    private final SharedIndexInformer<Pod> informer;

    private OwnedPods(SharedIndexInformer<Pod> informer) {
        this.informer = informer;
    }

    /** Watches the pods with {@code label} = {@code value} (or with {@code label} at all, if value is null). */
    static OwnedPods start(KubernetesClient client, String label, String value, String ownerKind,
            Consumer<ObjectKey> enqueueOwner) {
        var selected = client.pods().inAnyNamespace();
        SharedIndexInformer<Pod> informer = (value == null ? selected.withLabel(label) : selected.withLabel(label, value))
                .runnableInformer(0);
        informer.addIndexers(Map.of(BY_CONTROLLER_UID, pod -> Owners.controllerOf(pod)
                .map(r -> List.of(r.getUid())).orElse(List.of())));
        informer.addEventHandler(new OwnerWakingHandler<>(ownerKind, enqueueOwner));
        informer.run();
        return new OwnedPods(informer);
    }

    /** The pods whose controller is the object with this uid, terminating ones included. */
    List<Pod> of(String ownerUid) {
        return informer.getIndexer().byIndex(BY_CONTROLLER_UID, ownerUid);
    }

    @Override
    public void close() {
        informer.close();
    }
}
