package dev.finops.operator;

import dev.finops.operator.api.Capacity;
import dev.finops.operator.api.CapacityStrategy;
import dev.finops.operator.api.GpuPool;
import dev.finops.operator.api.GpuPoolSpec;
import dev.finops.operator.api.KarpenterProvider;
import dev.finops.operator.api.Provider;
import dev.finops.operator.api.SpotFallback;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** GPU nodes and pools the API-server and end-to-end tests share. */
public final class GpuFixtures {

    private GpuFixtures() {
    }

    /**
     * A p4d.24xlarge (8 A100s) as Karpenter labels it, with kwok's annotation so that on the local cluster kwok
     * runs its pods ({@code type: kwok} is what test pods select).
     */
    public static Node p4dNode(String name, String capacityType, Map<String, String> labels) {
        Map<String, Quantity> resources = Map.of("nvidia.com/gpu", new Quantity("8"), "cpu", new Quantity("96"),
                "memory", new Quantity("1152Gi"), "pods", new Quantity("110"));
        return new NodeBuilder().withNewMetadata().withName(name)
                .addToAnnotations("kwok.x-k8s.io/node", "fake")
                .addToLabels("node.kubernetes.io/instance-type", "p4d.24xlarge")
                .addToLabels("karpenter.sh/capacity-type", capacityType)
                .addToLabels("type", "kwok")
                .addToLabels(labels)
                .endMetadata()
                .withNewStatus().withCapacity(resources).withAllocatable(resources).endStatus().build();
    }

    /**
     * A SpotFirst pool over two Karpenter NodePools (spot first) that falls back to on-demand after two
     * interruptions in an hour, for {@code cooldown}.
     */
    public static GpuPool spotFirstKarpenterPool(String name, String spotNodePool, String onDemandNodePool,
            int maxNodes, Duration cooldown) {
        Capacity capacity = new Capacity();
        capacity.setStrategy(CapacityStrategy.SpotFirst);
        capacity.setMaxNodes(maxNodes);
        SpotFallback fallback = new SpotFallback();
        fallback.setMaxInterruptionsPerHour(2);
        fallback.setCooldown(cooldown.toSeconds() + "s");
        capacity.setSpotFallback(fallback);
        KarpenterProvider karpenter = new KarpenterProvider();
        karpenter.setNodePools(List.of(spotNodePool, onDemandNodePool));
        Provider provider = new Provider();
        provider.setKarpenter(karpenter);
        GpuPoolSpec spec = new GpuPoolSpec();
        spec.setNodeSelector(new LabelSelectorBuilder().addNewMatchExpression().withKey("karpenter.sh/nodepool")
                .withOperator("In").withValues(spotNodePool, onDemandNodePool).endMatchExpression().build());
        spec.setCapacity(capacity);
        spec.setProvider(provider);
        GpuPool pool = new GpuPool();
        pool.getMetadata().setName(name);
        pool.setSpec(spec);
        return pool;
    }

    /** A Deployment of {@code replicas} GPU-less pods: enough for the API server's /scale and records. */
    public static Deployment deployment(String namespace, String name, int replicas) {
        return new DeploymentBuilder().withNewMetadata().withName(name).withNamespace(namespace).endMetadata()
                .withNewSpec().withReplicas(replicas).withNewSelector().addToMatchLabels("app", name).endSelector()
                .withNewTemplate().withNewMetadata().addToLabels("app", name).endMetadata()
                .withNewSpec().addNewContainer().withName("main").withImage("registry.example/gpu:1").endContainer()
                .endSpec().endTemplate().endSpec().build();
    }

    /**
     * A platform team's Karpenter NodePool (karpenter.sh/v1) for p4d.24xlarge of one capacity type, as YAML: the
     * operator must change only the fields it owns in it.
     */
    public static String karpenterNodePool(String name, String capacityType) {
        return """
                apiVersion: karpenter.sh/v1
                kind: NodePool
                metadata: {name: %s}
                spec:
                  template:
                    spec:
                      nodeClassRef: {group: karpenter.k8s.aws, kind: EC2NodeClass, name: gpu}
                      requirements:
                        - {key: karpenter.sh/capacity-type, operator: In, values: [%s]}
                        - {key: node.kubernetes.io/instance-type, operator: In, values: [p4d.24xlarge]}
                """.formatted(name, capacityType);
    }
}
