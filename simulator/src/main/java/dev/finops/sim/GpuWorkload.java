package dev.finops.sim;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirement;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirementBuilder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A GPU workload as users write them: a Deployment, Job, CronJob, Kubeflow PyTorchJob or KubeRay RayJob whose
 * pods request {@code nvidia.com/gpu}
 * (or a MIG slice), carry the labels budgets select on, tolerate the GPU taint and are steered to GPU nodes
 * by node selector / affinity. A Job's pods run for {@link Builder#runFor} through kwok's pod-complete stage
 * annotations, so they start and finish with real timestamps. Each workload also names its utilisation
 * profile, which a scenario registers in the {@link UtilisationModel}.
 */
public final class GpuWorkload {

    /**
     * The kinds the simulator creates. A PyTorchJob's and a RayJob's pods are made by the simulated training
     * operator and KubeRay ({@link dev.finops.sim.ml.MlControllers}), which need those projects' CRDs.
     */
    public enum Kind { DEPLOYMENT, JOB, CRONJOB, PYTORCH_JOB, RAY_JOB }

    private final Kind kind;
    private final String namespace;
    private final String name;
    private final Map<String, String> labels;
    private final int replicas;
    private final String gpuResource;
    private final int gpusPerPod;
    private final Duration runFor;
    private final String schedule;
    private final Map<String, String> nodeSelector;
    private final List<NodeSelectorRequirement> requiredNodeAffinity;
    private final List<NodeSelectorRequirement> preferredNodeAffinity;
    private final String container;
    private final UtilisationProfile utilisation;
    private final String scenario;
    private final int backoffLimit;
    private final String queue;

    private GpuWorkload(Builder b) {
        this.kind = b.kind;
        this.namespace = b.namespace;
        this.name = b.name;
        this.labels = Map.copyOf(b.labels);
        this.replicas = b.replicas;
        this.gpuResource = b.gpuResource;
        this.gpusPerPod = b.gpusPerPod;
        this.runFor = b.runFor;
        this.schedule = b.schedule;
        this.nodeSelector = Map.copyOf(b.nodeSelector);
        this.requiredNodeAffinity = List.copyOf(b.requiredNodeAffinity);
        this.preferredNodeAffinity = List.copyOf(b.preferredNodeAffinity);
        this.container = b.container != null ? b.container : defaultContainer(kind);
        this.utilisation = b.utilisation;
        this.scenario = b.scenario;
        this.backoffLimit = b.backoffLimit;
        this.queue = b.queue;
        if (queue != null && kind != Kind.JOB) {
            throw new IllegalArgumentException(name + ": only a Job is queued to Kueue here, not a " + kind);
        }
        if ((kind == Kind.JOB || kind == Kind.CRONJOB) && runFor == null) {
            throw new IllegalArgumentException(name + ": a " + kind + " needs runFor (how long its pods run)");
        }
    }

    public static Builder deployment(String namespace, String name) {
        return new Builder(Kind.DEPLOYMENT, namespace, name);
    }

    public static Builder job(String namespace, String name) {
        return new Builder(Kind.JOB, namespace, name);
    }

    /** A PyTorchJob: one Master and {@code replicas - 1} Workers, each pod with the GPUs asked for. */
    public static Builder pyTorchJob(String namespace, String name) {
        return new Builder(Kind.PYTORCH_JOB, namespace, name);
    }

    /** A RayJob whose RayCluster has a CPU-only head and one worker group of {@code replicas} GPU pods. */
    public static Builder rayJob(String namespace, String name) {
        return new Builder(Kind.RAY_JOB, namespace, name);
    }

    public static Builder cronJob(String namespace, String name, String schedule) {
        Builder b = new Builder(Kind.CRONJOB, namespace, name);
        b.schedule = Objects.requireNonNull(schedule);
        return b;
    }

    public Kind kind() {
        return kind;
    }

    public String namespace() {
        return namespace;
    }

    public String name() {
        return name;
    }

    public WorkloadKey key() {
        return new WorkloadKey(namespace, name);
    }

    /**
     * Replicas of a Deployment, parallel pods (= completions) of a Job or of each CronJob run, pods of a
     * PyTorchJob (master and workers), GPU workers of a RayJob.
     */
    public int replicas() {
        return replicas;
    }

    public String gpuResource() {
        return gpuResource;
    }

    public int gpusPerPod() {
        return gpusPerPod;
    }

    public UtilisationProfile utilisation() {
        return utilisation;
    }

    public Duration runFor() {
        return runFor;
    }

    /** The Kueue LocalQueue a Job is submitted to ({@code kueue.x-k8s.io/queue-name}), or null. */
    public String queue() {
        return queue;
    }

    Map<String, String> labels() {
        return labels;
    }

    String schedule() {
        return schedule;
    }

    Map<String, String> nodeSelector() {
        return nodeSelector;
    }

    List<NodeSelectorRequirement> requiredNodeAffinity() {
        return requiredNodeAffinity;
    }

    List<NodeSelectorRequirement> preferredNodeAffinity() {
        return preferredNodeAffinity;
    }

    String container() {
        return container;
    }

    String scenario() {
        return scenario;
    }

    int backoffLimit() {
        return backoffLimit;
    }

    private static String defaultContainer(Kind kind) {
        return switch (kind) {
            case DEPLOYMENT -> "server";
            case JOB, CRONJOB -> "trainer";
            // the training operator's default container name for PyTorchJob, KubeRay's convention for Ray
            case PYTORCH_JOB -> "pytorch";
            case RAY_JOB -> "ray-worker";
        };
    }

    /** A one-line summary for scenario event lines. */
    public String describe() {
        String what = switch (kind) {
            case DEPLOYMENT -> "Deployment " + namespace + "/" + name + " x" + replicas;
            case JOB -> "Job " + namespace + "/" + name + (replicas > 1 ? " x" + replicas : "");
            case CRONJOB -> "CronJob " + namespace + "/" + name + " (" + schedule + ")";
            case PYTORCH_JOB -> "PyTorchJob " + namespace + "/" + name + " (1 master, " + (replicas - 1) + " workers)";
            case RAY_JOB -> "RayJob " + namespace + "/" + name + " (head, " + replicas + " GPU workers)";
        };
        String queued = queue == null ? "" : " in Kueue queue " + queue;
        String gpus = gpusPerPod + "x " + gpuResource;
        String runs = runFor == null ? "" : ", runs " + goDuration(runFor);
        String util = utilisation == null ? "" : ", util " + utilisation.describe();
        return what + queued + " [" + gpus + runs + util + "]";
    }

    /**
     * The Kubernetes object: a Deployment, Job or CronJob, or a Kubeflow PyTorchJob or KubeRay RayJob (a
     * {@link io.fabric8.kubernetes.api.model.GenericKubernetesResource} of the upstream CRD's kind).
     */
    public HasMetadata toResource() {
        return WorkloadManifests.of(this);
    }

    /** A Go duration string ({@code 90s}) as kwok's stage annotations want. */
    static String goDuration(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.getSeconds() + "s" : d.toMillis() + "ms";
    }

    /** Fluent construction; defaults: 1 replica, 1 {@code nvidia.com/gpu}, any GPU node, backoffLimit 3. */
    public static final class Builder {
        private final Kind kind;
        private final String namespace;
        private final String name;
        private final Map<String, String> labels = new LinkedHashMap<>();
        private int replicas = 1;
        private String gpuResource = SimulatorLabels.GPU_RESOURCE;
        private int gpusPerPod = 1;
        private Duration runFor;
        private String schedule;
        private final Map<String, String> nodeSelector = new LinkedHashMap<>();
        private final List<NodeSelectorRequirement> requiredNodeAffinity = new ArrayList<>();
        private final List<NodeSelectorRequirement> preferredNodeAffinity = new ArrayList<>();
        private String container;
        private UtilisationProfile utilisation;
        private String scenario;
        private int backoffLimit = 3;
        private String queue;

        private Builder(Kind kind, String namespace, String name) {
            this.kind = kind;
            this.namespace = Objects.requireNonNull(namespace);
            this.name = Objects.requireNonNull(name);
        }

        /** A label on the workload and its pods (what budgets select). */
        public Builder label(String key, String value) {
            labels.put(key, value);
            return this;
        }

        public Builder labels(Map<String, String> labels) {
            this.labels.putAll(labels);
            return this;
        }

        public Builder replicas(int replicas) {
            this.replicas = replicas;
            return this;
        }

        /** Whole GPUs ({@code nvidia.com/gpu}) per pod. */
        public Builder gpus(int gpus) {
            this.gpuResource = SimulatorLabels.GPU_RESOURCE;
            this.gpusPerPod = gpus;
            return this;
        }

        /** MIG instances of {@code profile} (e.g. {@code 1g.10gb}) per pod instead of whole GPUs. */
        public Builder mig(String profile, int instances) {
            this.gpuResource = MigProfile.parse(profile).resourceName();
            this.gpusPerPod = instances;
            return this;
        }

        /** How long each pod of a Job / CronJob run runs before it succeeds. */
        public Builder runFor(Duration runFor) {
            this.runFor = runFor;
            return this;
        }

        public Builder nodeSelector(String key, String value) {
            nodeSelector.put(key, value);
            return this;
        }

        /** Required node affinity: the node's label {@code key} must be one of {@code values}. */
        public Builder requireNodeLabelIn(String key, String... values) {
            requiredNodeAffinity.add(new NodeSelectorRequirementBuilder().withKey(key).withOperator("In")
                    .withValues(values).build());
            return this;
        }

        /** Preferred node affinity (weight 100), e.g. prefer spot but take on-demand. */
        public Builder preferNodeLabel(String key, String value) {
            preferredNodeAffinity.add(new NodeSelectorRequirementBuilder().withKey(key).withOperator("In")
                    .withValues(value).build());
            return this;
        }

        public Builder container(String container) {
            this.container = container;
            return this;
        }

        public Builder utilisation(UtilisationProfile utilisation) {
            this.utilisation = utilisation;
            return this;
        }

        public Builder scenario(String scenario) {
            this.scenario = scenario;
            return this;
        }

        public Builder backoffLimit(int backoffLimit) {
            this.backoffLimit = backoffLimit;
            return this;
        }

        /** Submits a Job to Kueue's LocalQueue {@code queue}: labelled, and created suspended for Kueue to admit. */
        public Builder queue(String queue) {
            this.queue = Objects.requireNonNull(queue);
            return this;
        }

        public GpuWorkload build() {
            return new GpuWorkload(this);
        }
    }
}
