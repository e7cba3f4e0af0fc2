package dev.finops.sim.ml;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Kueue v0.17.0's Workload for a batch/v1 Job and the status its scheduler and workload controller write, as
 * pure functions: the name ({@code jobframework.GetWorkloadNameForOwnerWithGVK}), the pod set
 * ({@code main}, the Job's template without its controller-uid labels, parallelism capped by completions),
 * admission into one ClusterQueue with one ResourceFlavor, and eviction on deactivation.
 */
final class KueueWorkloads {

    static final String QUEUE_NAME_LABEL = "kueue.x-k8s.io/queue-name";
    static final String JOB_UID_LABEL = "kueue.x-k8s.io/job-uid";
    /** The one ClusterQueue and ResourceFlavor the simulator admits into (there is no quota to run out of). */
    static final String CLUSTER_QUEUE = "cluster-queue";
    static final String FLAVOR = "default-flavor";
    private static final Set<String> MANAGED_LABELS = Set.of("controller-uid", "batch.kubernetes.io/controller-uid",
            "job-name");
    /** Without the ShortWorkloadNames gate (alpha, off in v0.17): 253 - 1 - 5. */
    private static final int MAX_PREFIX = 247;

    private KueueWorkloads() {
    }

    static String name(String jobName, String jobUid) {
        String prefix = "job-" + jobName;
        prefix = prefix.length() > MAX_PREFIX ? prefix.substring(0, MAX_PREFIX) : prefix;
        return prefix + "-" + sha1Hex("Job\nbatch\n" + jobName + "\n" + jobUid).substring(0, 5);
    }

    static int podCount(Job job) {
        int parallelism = job.getSpec().getParallelism() == null ? 1 : job.getSpec().getParallelism();
        Integer completions = job.getSpec().getCompletions();
        return completions != null && completions < parallelism ? completions : parallelism;
    }

    static GenericKubernetesResource newWorkload(Job job, KubernetesSerialization json) {
        PodTemplateSpec template = json.clone(job.getSpec().getTemplate());
        if (template.getMetadata() != null && template.getMetadata().getLabels() != null) {
            template.getMetadata().getLabels().keySet().removeAll(MANAGED_LABELS);
        }
        GenericKubernetesResource workload = new GenericKubernetesResource();
        workload.setApiVersion(CustomKind.KUEUE_WORKLOAD.apiVersion());
        workload.setKind(CustomKind.KUEUE_WORKLOAD.kind());
        workload.setMetadata(new ObjectMetaBuilder()
                .withName(name(job.getMetadata().getName(), job.getMetadata().getUid()))
                .withNamespace(job.getMetadata().getNamespace())
                .withLabels(Map.of(JOB_UID_LABEL, job.getMetadata().getUid()))
                .withOwnerReferences(new OwnerReferenceBuilder().withApiVersion("batch/v1").withKind("Job")
                        .withName(job.getMetadata().getName()).withUid(job.getMetadata().getUid())
                        .withController(true).withBlockOwnerDeletion(true).build())
                .build());
        Map<String, Object> podSet = new LinkedHashMap<>();
        podSet.put("name", "main");
        podSet.put("count", podCount(job));
        podSet.put("template", json.convertValue(template, Map.class));
        workload.setAdditionalProperty("spec", Map.of(
                "queueName", job.getMetadata().getLabels().get(QUEUE_NAME_LABEL),
                "podSets", List.of(podSet)));
        return workload;
    }

    /** {@code spec.active} (defaulted true by the CRD). */
    static boolean active(GenericKubernetesResource workload) {
        return Unstructured.field(workload, "spec", "active").map(v -> !Boolean.FALSE.equals(v)).orElse(true);
    }

    static boolean admitted(GenericKubernetesResource workload) {
        return Conditions.isTrue(Unstructured.list(workload.getAdditionalProperties(), "status", "conditions"),
                "Admitted");
    }

    /** The status after the scheduler reserved quota and every check passed: {@code SetQuotaReservation}, admitted. */
    static Map<String, Object> admittedStatus(GenericKubernetesResource workload, Job job, Instant now) {
        long generation = generation(workload);
        Map<String, Object> status = new LinkedHashMap<>(Unstructured.map(workload, "status"));
        int count = podCount(job);
        Map<String, Object> flavors = new TreeMap<>();
        Map<String, Object> usage = new TreeMap<>();
        for (var container : job.getSpec().getTemplate().getSpec().getContainers()) {
            Map<String, Quantity> requests = container.getResources() == null ? null
                    : container.getResources().getRequests();
            (requests == null ? Map.<String, Quantity>of() : requests).forEach((resource, q) -> {
                flavors.put(resource, FLAVOR);
                usage.merge(resource, q.multiply(count), (a, b) -> ((Quantity) a).add((Quantity) b));
            });
        }
        usage.replaceAll((resource, q) -> q.toString());
        status.put("admission", Map.of("clusterQueue", CLUSTER_QUEUE, "podSetAssignments", List.of(Map.of(
                "name", "main", "count", count, "flavors", flavors, "resourceUsage", usage))));
        List<Map<String, Object>> conditions = new ArrayList<>(Unstructured.list(status, "conditions"));
        Conditions.set(conditions, "QuotaReserved", true, "QuotaReserved",
                "Quota reserved in ClusterQueue " + CLUSTER_QUEUE, generation, now);
        if (conditions.stream().anyMatch(c -> "Evicted".equals(c.get("type")))) {
            Conditions.set(conditions, "Evicted", false, "QuotaReserved", "Previously: The workload is deactivated",
                    generation, now);
        }
        Conditions.set(conditions, "Admitted", true, "Admitted", "The workload is admitted", generation, now);
        status.put("conditions", conditions);
        return status;
    }

    /**
     * The status after deactivation ({@code spec.active: false}): evicted ({@code Evicted=True}, reason
     * {@code Deactivated}), its Job stopped, then the quota released ({@code QuotaReserved=False}, reason
     * {@code Pending}; {@code Admitted=False}, reason {@code NoReservation}; no {@code admission}).
     */
    static Map<String, Object> deactivatedStatus(GenericKubernetesResource workload, Instant now) {
        long generation = generation(workload);
        Map<String, Object> status = new LinkedHashMap<>(Unstructured.map(workload, "status"));
        status.remove("admission");
        List<Map<String, Object>> conditions = new ArrayList<>(Unstructured.list(status, "conditions"));
        String message = "The workload is deactivated";
        Conditions.set(conditions, "Evicted", true, "Deactivated", message, generation, now);
        Conditions.set(conditions, "QuotaReserved", false, "Pending", message, generation, now);
        Conditions.set(conditions, "Admitted", false, "NoReservation", "The workload has no reservation",
                generation, now);
        status.put("conditions", conditions);
        return status;
    }

    private static long generation(GenericKubernetesResource workload) {
        return workload.getMetadata().getGeneration() == null ? 0 : workload.getMetadata().getGeneration();
    }

    private static String sha1Hex(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is part of every JDK", e);
        }
    }
}
