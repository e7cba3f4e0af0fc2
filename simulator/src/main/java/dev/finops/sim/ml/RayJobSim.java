package dev.finops.sim.ml;

import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Plays KubeRay v1.5.0's RayJob controller ({@link RayJobLifecycle}): creates the job's RayCluster (its
 * {@code rayClusterSpec}, the RayJob's labels plus {@code ray.io/originated-from-*}, the RayJob as controller
 * owner), deletes it when the job is suspended, makes a new one on resume. The RayCluster's pods are
 * {@link RayClusterSim}'s; a deleted cluster's pods go with it through the garbage collector.
 */
final class RayJobSim implements SimulatedController {

    private final KubernetesClient client;
    private final Clock clock;
    private final Consumer<String> report;
    private final Supplier<String> randomSuffix;
    private final ReconcileQueue queue;
    private final SharedIndexInformer<GenericKubernetesResource> jobs;
    private final SharedIndexInformer<GenericKubernetesResource> clusters;

    RayJobSim(KubernetesClient client, Clock clock, Consumer<String> report) {
        this.client = client;
        this.clock = clock;
        this.report = report;
        Random random = new Random();
        this.randomSuffix = () -> random.ints(5, 0, RayJobLifecycle.RAND_ALPHABET.length())
                .mapToObj(i -> String.valueOf(RayJobLifecycle.RAND_ALPHABET.charAt(i))).reduce("", String::concat);
        this.queue = new ReconcileQueue("rayjob-controller", this::reconcile);
        this.jobs = Informers.start(client.genericKubernetesResources(CustomKind.RAY_JOB.context()).inAnyNamespace(),
                queue);
        // a cluster's changes (ready, deleted) wake the RayJob that owns it
        this.clusters = client.genericKubernetesResources(CustomKind.RAY_CLUSTER.context()).inAnyNamespace()
                .runnableInformer(Informers.RESYNC.toMillis());
        this.clusters.addEventHandler(new OwnerWakingHandler<>(CustomKind.RAY_JOB.kind(), queue));
        this.clusters.run();
    }

    @Override
    public String name() {
        return "kuberay (RayJob)";
    }

    void reconcile(ObjectKey key) {
        GenericKubernetesResource job = jobs.getStore().getByKey(key.namespace() + "/" + key.name());
        if (job == null || job.getMetadata().getDeletionTimestamp() != null) {
            return;
        }
        String clusterName = Unstructured.string(job, "status", "rayClusterName");
        GenericKubernetesResource cluster = clusterName == null || clusterName.isEmpty() ? null
                : clusters.getStore().getByKey(key.namespace() + "/" + clusterName);
        RayJobLifecycle.Step step = RayJobLifecycle.step(observe(job, clusterName, cluster), randomSuffix);
        switch (step.action()) {
            case CREATE_CLUSTER -> createCluster(job, step.clusterName());
            case DELETE_CLUSTER -> deleteCluster(key, cluster);
            case NONE -> { }
        }
        writeStatus(job, step);
    }

    private static RayJobLifecycle.Observed observe(GenericKubernetesResource job, String clusterName,
            GenericKubernetesResource cluster) {
        Map<String, Object> selector = Unstructured.map(job, "spec", "clusterSelector");
        return new RayJobLifecycle.Observed(job.getMetadata().getName(),
                Unstructured.isTrue(job, "spec", "suspend"),
                Unstructured.isTrue(job, "spec", "shutdownAfterJobFinishes"),
                selector.isEmpty() ? null : String.valueOf(selector.getOrDefault(KubeRay.CLUSTER_LABEL, "")),
                !Unstructured.map(job, "spec", "rayClusterSpec").isEmpty(),
                Unstructured.string(job, "status", "jobDeploymentStatus"), clusterName,
                cluster != null && cluster.getMetadata().getDeletionTimestamp() == null,
                cluster != null && KubeRay.STATE_READY.equals(Unstructured.string(cluster, "status", "state")));
    }

    private void createCluster(GenericKubernetesResource job, String name) {
        Map<String, String> labels = new LinkedHashMap<>(job.getMetadata().getLabels() == null ? Map.of()
                : job.getMetadata().getLabels());
        labels.put(KubeRay.ORIGINATED_FROM_CR_NAME_LABEL, job.getMetadata().getName());
        labels.put(KubeRay.ORIGINATED_FROM_CRD_LABEL, "RayJob");
        GenericKubernetesResource cluster = new GenericKubernetesResource();
        cluster.setApiVersion(CustomKind.RAY_CLUSTER.apiVersion());
        cluster.setKind(CustomKind.RAY_CLUSTER.kind());
        cluster.setMetadata(new ObjectMetaBuilder().withName(name)
                .withNamespace(job.getMetadata().getNamespace()).withLabels(labels)
                .withAnnotations(job.getMetadata().getAnnotations()).withOwnerReferences(Owners.controllerRef(job))
                .build());
        cluster.setAdditionalProperty("spec", Unstructured.map(job, "spec", "rayClusterSpec"));
        try {
            client.genericKubernetesResources(CustomKind.RAY_CLUSTER.context()).resource(cluster).create();
            report.accept(name() + ": created RayCluster " + job.getMetadata().getNamespace() + "/" + name
                    + " for RayJob " + job.getMetadata().getName());
        } catch (KubernetesClientException e) {
            if (e.getCode() != 409) {
                throw e;
            }
        }
    }

    private void deleteCluster(ObjectKey job, GenericKubernetesResource cluster) {
        client.genericKubernetesResources(CustomKind.RAY_CLUSTER.context()).inNamespace(job.namespace())
                .withName(cluster.getMetadata().getName()).withPropagationPolicy(DeletionPropagation.BACKGROUND)
                .delete();
        report.accept(name() + ": RayJob " + job + " suspended: deleted RayCluster " + cluster.getMetadata().getName());
    }

    private void writeStatus(GenericKubernetesResource job, RayJobLifecycle.Step step) {
        Map<String, Object> old = Unstructured.map(job, "status");
        Map<String, Object> status = new LinkedHashMap<>(old);
        status.put("jobDeploymentStatus", step.deploymentStatus());
        if (step.clusterName() == null) {
            status.remove("rayClusterName");
        } else {
            status.put("rayClusterName", step.clusterName());
        }
        if (step.reason() != null) {
            status.put("reason", step.reason());
            status.put("message", step.message());
        }
        if (RayJobLifecycle.INITIALIZING.equals(step.deploymentStatus())
                && !RayJobLifecycle.INITIALIZING.equals(old.get("jobDeploymentStatus"))) {
            status.put("startTime", clock.instant().truncatedTo(ChronoUnit.SECONDS).toString());
        }
        status.put("observedGeneration", job.getMetadata().getGeneration() == null ? 0 : job.getMetadata().getGeneration());
        StatusWriter.writeIfChanged(client, CustomKind.RAY_JOB, job, status);
    }

    @Override
    public void close() {
        jobs.close();
        clusters.close();
        queue.close();
    }
}
