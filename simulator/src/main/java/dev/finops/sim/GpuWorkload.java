package dev.finops.sim;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirement;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirementBuilder;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.TolerationBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.CronJobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobSpec;
import io.fabric8.kubernetes.api.model.batch.v1.JobSpecBuilder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A GPU workload as users write them: a Deployment, Job or CronJob whose pods request {@code nvidia.com/gpu}
 * (or a MIG slice), carry the labels budgets select on, tolerate the GPU taint and are steered to GPU nodes
 * by node selector / affinity. A Job's pods run for {@link Builder#runFor} through kwok's pod-complete stage
 * annotations, so they start and finish with real timestamps. Each workload also names its utilisation
 * profile, which a scenario registers in the {@link UtilisationModel}.
 */
public final class GpuWorkload {

    /** The kinds the simulator creates. */
    public enum Kind { DEPLOYMENT, JOB, CRONJOB }

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
        this.container = b.container != null ? b.container : kind == Kind.DEPLOYMENT ? "server" : "trainer";
        this.utilisation = b.utilisation;
        this.scenario = b.scenario;
        this.backoffLimit = b.backoffLimit;
        if (kind != Kind.DEPLOYMENT && runFor == null) {
            throw new IllegalArgumentException(name + ": a " + kind + " needs runFor (how long its pods run)");
        }
    }

    public static Builder deployment(String namespace, String name) {
        return new Builder(Kind.DEPLOYMENT, namespace, name);
    }

    public static Builder job(String namespace, String name) {
        return new Builder(Kind.JOB, namespace, name);
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

    /** Replicas of a Deployment, parallel pods (= completions) of a Job or of each CronJob run. */
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

    /** A one-line summary for scenario event lines. */
    public String describe() {
        String what = switch (kind) {
            case DEPLOYMENT -> "Deployment " + namespace + "/" + name + " x" + replicas;
            case JOB -> "Job " + namespace + "/" + name + (replicas > 1 ? " x" + replicas : "");
            case CRONJOB -> "CronJob " + namespace + "/" + name + " (" + schedule + ")";
        };
        String gpus = gpusPerPod + "x " + gpuResource;
        String runs = runFor == null ? "" : ", runs " + goDuration(runFor);
        String util = utilisation == null ? "" : ", util " + utilisation.describe();
        return what + " [" + gpus + runs + util + "]";
    }

    /** The Kubernetes object: a Deployment, Job or CronJob. */
    public HasMetadata toResource() {
        return switch (kind) {
            case DEPLOYMENT -> new DeploymentBuilder()
                    .withMetadata(metadata())
                    .withNewSpec()
                        .withReplicas(replicas)
                        .withNewSelector().addToMatchLabels(SimulatorLabels.WORKLOAD, name).endSelector()
                        .withTemplate(podTemplate())
                    .endSpec()
                    .build();
            case JOB -> new JobBuilder().withMetadata(metadata()).withSpec(jobSpec()).build();
            case CRONJOB -> new CronJobBuilder()
                    .withMetadata(metadata())
                    .withNewSpec()
                        .withSchedule(schedule)
                        .withConcurrencyPolicy("Forbid")
                        .withSuccessfulJobsHistoryLimit(3)
                        .withFailedJobsHistoryLimit(1)
                        .withNewJobTemplate()
                            .withNewMetadata().withLabels(objectLabels()).endMetadata()
                            .withSpec(jobSpec())
                        .endJobTemplate()
                    .endSpec()
                    .build();
        };
    }

    private ObjectMeta metadata() {
        return new ObjectMetaBuilder().withName(name).withNamespace(namespace).withLabels(objectLabels()).build();
    }

    private Map<String, String> objectLabels() {
        Map<String, String> all = new LinkedHashMap<>(labels);
        all.put(SimulatorLabels.SIMULATED, "true");
        if (scenario != null) {
            all.put(SimulatorLabels.SCENARIO, scenario);
        }
        return all;
    }

    private JobSpec jobSpec() {
        return new JobSpecBuilder()
                .withParallelism(replicas)
                .withCompletions(replicas)
                // Spot interruptions kill pods; a retry is what a real training job would do.
                .withBackoffLimit(backoffLimit)
                // Finished Jobs go away after a while, but late enough for cost accrual to read their pods.
                .withTtlSecondsAfterFinished(900)
                .withTemplate(podTemplate())
                .build();
    }

    private PodTemplateSpec podTemplate() {
        Map<String, String> podLabels = new LinkedHashMap<>(labels);
        podLabels.put(SimulatorLabels.WORKLOAD, name);
        podLabels.put(SimulatorLabels.SIMULATED, "true");
        Map<String, String> annotations = new LinkedHashMap<>();
        if (runFor != null) {
            annotations.put(SimulatorLabels.KWOK_COMPLETE_DELAY, goDuration(runFor));
            annotations.put(SimulatorLabels.KWOK_COMPLETE_JITTER, goDuration(runFor));
        }
        Map<String, Quantity> requests = new LinkedHashMap<>();
        boolean mig = gpuResource.startsWith(MigProfile.RESOURCE_PREFIX);
        requests.put("cpu", new Quantity(mig ? "1" : Integer.toString(2 * gpusPerPod)));
        requests.put("memory", new Quantity(mig ? "4Gi" : (8 * gpusPerPod) + "Gi"));
        requests.put(gpuResource, new Quantity(Integer.toString(gpusPerPod)));
        Map<String, Quantity> limits = Map.of(gpuResource, new Quantity(Integer.toString(gpusPerPod)));

        PodTemplateSpecBuilder template = new PodTemplateSpecBuilder()
                .withNewMetadata().withLabels(podLabels).withAnnotations(annotations).endMetadata();
        var spec = template.withNewSpec()
                .withRestartPolicy(kind == Kind.DEPLOYMENT ? "Always" : "Never")
                .withTerminationGracePeriodSeconds(5L)
                .addNewContainer()
                    .withName(container)
                    .withImage("registry.example/" + name + ":sim")
                    .withNewResources().withRequests(requests).withLimits(limits).endResources()
                .endContainer()
                .addToTolerations(new TolerationBuilder().withKey(SimulatorLabels.GPU_RESOURCE)
                        .withOperator("Exists").withEffect("NoSchedule").build())
                .withNodeSelector(nodeSelector.isEmpty() ? Map.of(SimulatorLabels.GPU_PRESENT, "true") : nodeSelector);
        if (!requiredNodeAffinity.isEmpty() || !preferredNodeAffinity.isEmpty()) {
            var affinity = spec.withNewAffinity().withNewNodeAffinity();
            if (!requiredNodeAffinity.isEmpty()) {
                affinity = affinity.withNewRequiredDuringSchedulingIgnoredDuringExecution()
                        .addNewNodeSelectorTerm().withMatchExpressions(requiredNodeAffinity).endNodeSelectorTerm()
                        .endRequiredDuringSchedulingIgnoredDuringExecution();
            }
            if (!preferredNodeAffinity.isEmpty()) {
                affinity = affinity.addNewPreferredDuringSchedulingIgnoredDuringExecution()
                        .withWeight(100)
                        .withNewPreference().withMatchExpressions(preferredNodeAffinity).endPreference()
                        .endPreferredDuringSchedulingIgnoredDuringExecution();
            }
            spec = affinity.endNodeAffinity().endAffinity();
        }
        return spec.endSpec().build();
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

        public GpuWorkload build() {
            return new GpuWorkload(this);
        }
    }
}
