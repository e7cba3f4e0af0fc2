package dev.finops.sim.ml;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/** Creates and deletes a controller's pods, reporting each batch in one line. */
final class PodSets {

    private PodSets() {
    }

    /**
     * Makes the owner's pods the desired ones, by name: creates each desired pod no pod of that name holds (a
     * terminating one holds its name until it is gone; its delete event brings the owner back), deletes each
     * owned pod that is not desired.
     */
    static void converge(KubernetesClient client, String controller, String owner, List<Pod> owned,
            List<Pod> desired, Consumer<String> report) {
        Set<String> wanted = desired.stream().map(p -> p.getMetadata().getName()).collect(Collectors.toSet());
        Set<String> present = owned.stream().map(p -> p.getMetadata().getName()).collect(Collectors.toSet());
        create(client, controller, owner, desired.stream().filter(p -> !present.contains(p.getMetadata().getName()))
                .toList(), report);
        delete(client, controller, owner, owned.stream().filter(p -> !wanted.contains(p.getMetadata().getName()))
                .toList(), report);
    }

    static void create(KubernetesClient client, String controller, String owner, List<Pod> pods,
            Consumer<String> report) {
        for (Pod pod : pods) {
            try {
                client.pods().inNamespace(pod.getMetadata().getNamespace()).resource(pod).create();
            } catch (KubernetesClientException e) {
                if (e.getCode() != 409) {
                    throw e;
                }
            }
        }
        if (!pods.isEmpty()) {
            report.accept(controller + ": created " + pods.size() + " pods of " + owner + names(pods));
        }
    }

    /** Deletes the pods not already terminating (the pod's own grace period, as a controller's delete). */
    static void delete(KubernetesClient client, String controller, String owner, List<Pod> pods,
            Consumer<String> report) {
        List<Pod> live = pods.stream().filter(p -> p.getMetadata().getDeletionTimestamp() == null).toList();
        for (Pod pod : live) {
            client.pods().inNamespace(pod.getMetadata().getNamespace()).withName(pod.getMetadata().getName()).delete();
        }
        if (!live.isEmpty()) {
            report.accept(controller + ": deleted " + live.size() + " pods of " + owner + names(live));
        }
    }

    private static String names(List<Pod> pods) {
        String names = pods.stream().map(p -> p.getMetadata().getName()).filter(n -> n != null)
                .sorted().collect(Collectors.joining(", "));
        return names.isEmpty() ? "" : " (" + names + ")";
    }
}
