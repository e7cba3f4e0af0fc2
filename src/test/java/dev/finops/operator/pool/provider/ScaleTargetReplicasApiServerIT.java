package dev.finops.operator.pool.provider;

import static org.assertj.core.api.Assertions.assertThat;

import dev.finops.operator.api.Capacity;
import dev.finops.operator.api.CapacityStrategy;
import dev.finops.operator.api.GpuPool;
import dev.finops.operator.api.GpusPerNodeSource;
import dev.finops.operator.api.GpuPoolSpec;
import dev.finops.operator.api.Provider;
import dev.finops.operator.api.ScaleTargetReference;
import dev.finops.operator.api.ScaleTargets;
import dev.finops.operator.apiserver.RealApiServer;
import dev.finops.operator.pool.plan.CapacityPlan;
import dev.finops.operator.pool.plan.CapacityPlanner;
import dev.finops.operator.pool.plan.StatedShape;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Replicas through /scale on the real Cluster API MachineDeployment CRD and on a minimal CRD with /scale. */
class ScaleTargetReplicasApiServerIT {

    private static final String NAMESPACE = "capi-workloads";
    private static RealApiServer api;

    @BeforeAll
    static void startApiServer() throws Exception {
        api = RealApiServer.start();
        ProviderCrds.install(api.client(), ProviderCrds.MACHINEDEPLOYMENTS);
        apply("""
                apiVersion: apiextensions.k8s.io/v1
                kind: CustomResourceDefinition
                metadata: {name: nodegroups.test.finops.dev}
                spec:
                  group: test.finops.dev
                  scope: Namespaced
                  names: {plural: nodegroups, singular: nodegroup, kind: NodeGroup}
                  versions:
                    - name: v1
                      served: true
                      storage: true
                      subresources:
                        scale: {specReplicasPath: .spec.size, statusReplicasPath: .status.size}
                      schema:
                        openAPIV3Schema:
                          type: object
                          properties:
                            spec:
                              type: object
                              properties:
                                size: {type: integer, minimum: 0}
                                machineType: {type: string}
                            status:
                              type: object
                              properties:
                                size: {type: integer}
                """);
        api.kubectl("wait", "--for=condition=Established", "--timeout=60s", "crd", "nodegroups.test.finops.dev");
        api.kubectl("create", "namespace", NAMESPACE);
        api.client().resource(new NamespaceBuilder().withNewMetadata().withName("kube-system").endMetadata().build())
                .serverSideApply(); // the API server creates it too, a moment after it starts
    }

    /** The provider with NodeGroup.test.finops.dev listed by the platform team, as the operator setting does. */
    static ScaleTargetReplicas provider() {
        return new ScaleTargetReplicas(api.client(), new ScaleTargetKinds(List.of("NodeGroup.test.finops.dev")));
    }

    @AfterAll
    static void stopApiServer() {
        api.close();
    }

    static void apply(String yaml) throws Exception {
        Path file = Files.createTempFile("scale-target-", ".yaml");
        Files.writeString(file, yaml);
        api.kubectl("apply", "--server-side", "--field-manager=platform-team", "-f", file.toString());
        Files.delete(file);
    }

    static void machineDeployment(String name, int replicas) throws Exception {
        apply("""
                apiVersion: cluster.x-k8s.io/v1beta1
                kind: MachineDeployment
                metadata: {name: %s, namespace: %s}
                spec:
                  clusterName: gpu-cluster
                  replicas: %d
                  selector:
                    matchLabels: {pool: %s}
                  template:
                    metadata:
                      labels: {pool: %s}
                    spec:
                      clusterName: gpu-cluster
                      version: v1.34.0
                      bootstrap: {dataSecretName: gpu-bootstrap}
                      infrastructureRef: {apiVersion: infrastructure.cluster.x-k8s.io/v1beta2, kind: AWSMachineTemplate, name: %s}
                """.formatted(name, NAMESPACE, replicas, name, name, name));
    }

    static ScaleTargetReference target(String apiVersion, String kind, String namespace, String name) {
        ScaleTargetReference target = new ScaleTargetReference();
        target.setApiVersion(apiVersion);
        target.setKind(kind);
        target.setNamespace(namespace);
        target.setName(name);
        return target;
    }

    static GpuPool pool(ScaleTargetReference spot, ScaleTargetReference onDemand) {
        ScaleTargets targets = new ScaleTargets();
        targets.setSpot(spot);
        targets.setOnDemand(onDemand);
        Provider provider = new Provider();
        provider.setScaleTargets(targets);
        GpuPoolSpec spec = new GpuPoolSpec();
        spec.setProvider(provider);
        GpuPool pool = new GpuPool();
        pool.setMetadata(new ObjectMetaBuilder().withName("inference").build());
        pool.setSpec(spec);
        return pool;
    }

    static Capacity capacity() {
        Capacity capacity = new Capacity();
        capacity.setStrategy(CapacityStrategy.ReservedFirst);
        capacity.setReservedNodes(1);
        capacity.setMaxNodes(6);
        capacity.setMaxSpotPercent(50);
        return capacity;
    }

    /** 40 GPUs on 8-GPU nodes = 5 nodes; 50% spot: 2 spot, 3 on-demand (1 of them reserved). */
    static CapacityPlan plan(boolean fallback) {
        return CapacityPlanner.plan(new CapacityPlanner.Demand(40, 8), capacity(), fallback);
    }

    static GenericKubernetesResource md(String name) {
        return api.client().genericKubernetesResources("cluster.x-k8s.io/v1beta1", "MachineDeployment")
                .inNamespace(NAMESPACE).withName(name).get();
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> spec(GenericKubernetesResource resource) {
        return (Map<String, Object>) resource.getAdditionalProperties().get("spec");
    }

    @Test
    void machineDeploymentsGetTheirReplicasAndKeepEverythingElse() throws Exception {
        machineDeployment("inference-gpu-spot", 0);
        machineDeployment("inference-gpu-on-demand", 1);
        GpuPool pool = pool(
                target("cluster.x-k8s.io/v1beta1", "MachineDeployment", NAMESPACE, "inference-gpu-spot"),
                target("cluster.x-k8s.io/v1beta1", "MachineDeployment", NAMESPACE, "inference-gpu-on-demand"));
        ScaleTargetReplicas provider = provider();

        SyncResult result = provider.sync(pool, plan(false));

        assertThat(result.synced()).as(result.message()).isTrue();
        assertThat(result.changed()).isTrue();
        assertThat(result.message()).isEqualTo("Replicas MachineDeployment capi-workloads/inference-gpu-spot=2, "
                + "MachineDeployment capi-workloads/inference-gpu-on-demand=3.");
        assertThat(spec(md("inference-gpu-spot")).get("replicas")).isEqualTo(2);
        assertThat(spec(md("inference-gpu-on-demand")).get("replicas")).isEqualTo(3);
        assertThat(api.kubectl("get", "machinedeployment", "-n", NAMESPACE, "inference-gpu-spot", "-o",
                "jsonpath={.spec.clusterName} {.spec.template.spec.bootstrap.dataSecretName} "
                        + "{.spec.template.spec.infrastructureRef.kind}"))
                .isEqualTo("gpu-cluster gpu-bootstrap AWSMachineTemplate");

        String version = md("inference-gpu-spot").getMetadata().getResourceVersion();
        assertThat(provider.sync(pool, plan(false)).changed()).as("nothing to change, nothing written").isFalse();
        assertThat(md("inference-gpu-spot").getMetadata().getResourceVersion()).isEqualTo(version);

        assertThat(provider.sync(pool, plan(true)).changed()).isTrue();
        assertThat(spec(md("inference-gpu-spot")).get("replicas")).isEqualTo(0);
        assertThat(spec(md("inference-gpu-on-demand")).get("replicas")).isEqualTo(5);
    }

    @Test
    void aKindThePlatformTeamListsWorksAndASingleTargetRunsEveryNode() throws Exception {
        apply("""
                apiVersion: test.finops.dev/v1
                kind: NodeGroup
                metadata: {name: gpu-spot-group, namespace: %s}
                spec: {size: 1, machineType: p5.48xlarge}
                """.formatted(NAMESPACE));
        GpuPool pool = pool(target("test.finops.dev/v1", "NodeGroup", NAMESPACE, "gpu-spot-group"), null);

        SyncResult result = provider().sync(pool, plan(false));

        assertThat(result.synced()).as(result.message()).isTrue();
        assertThat(spec(group("gpu-spot-group"))).isEqualTo(Map.of("size", 5, "machineType", "p5.48xlarge"));

        SyncResult unlisted = new ScaleTargetReplicas(api.client(), new ScaleTargetKinds(List.of())).sync(pool,
                CapacityPlanner.plan(new CapacityPlanner.Demand(8, 8), capacity(), false));
        assertThat(unlisted.reason()).as("not listed: refused").isEqualTo(SyncReason.ScaleTargetKindNotAllowed);
        assertThat(spec(group("gpu-spot-group"))).isEqualTo(Map.of("size", 5, "machineType", "p5.48xlarge"));
    }

    @Test
    void aDeploymentTargetIsRefusedAndCoreDnsStaysAsItWas() throws Exception {
        apply("""
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: coredns, namespace: kube-system}
                spec:
                  replicas: 2
                  selector: {matchLabels: {k8s-app: kube-dns}}
                  template:
                    metadata: {labels: {k8s-app: kube-dns}}
                    spec:
                      containers: [{name: coredns, image: registry.k8s.io/coredns/coredns:v1.12.0}]
                """);
        String before = api.kubectl("get", "deployment", "-n", "kube-system", "coredns", "-o",
                "jsonpath={.metadata.resourceVersion} {.spec.replicas}");
        GpuPool pool = pool(target("apps/v1", "Deployment", "kube-system", "coredns"), null);
        pool.getSpec().getCapacity().setMaxNodes(0);

        SyncResult result = provider().sync(pool, CapacityPlanner.plan(new CapacityPlanner.Demand(0, 8),
                pool.getSpec().getCapacity(), false));

        assertThat(result.synced()).isFalse();
        assertThat(result.reason()).isEqualTo(SyncReason.ScaleTargetKindNotAllowed);
        assertThat(result.message()).isEqualTo("apps/v1 Deployment kube-system/coredns "
                + "(spec.provider.scaleTargets.spot) is not a kind GpuPools may scale: only Cluster API "
                + "MachineDeployment, MachinePool and MachineSet (cluster.x-k8s.io) and the kinds listed in the "
                + "operator setting finops.scale-targets.allowed-kinds (chart value scaleTargets.allowedKinds) are; "
                + "nothing was scaled.");
        assertThat(provider().statedShape(pool)).as("not even read").isEmpty();
        assertThat(api.kubectl("get", "deployment", "-n", "kube-system", "coredns", "-o",
                "jsonpath={.metadata.resourceVersion} {.spec.replicas}")).isEqualTo(before).endsWith(" 2");
    }

    @Test
    void scaleFromZeroAnnotationsStateTheNodeShape() throws Exception {
        machineDeployment("annotated-gpu", 0);
        api.kubectl("annotate", "machinedeployment", "-n", NAMESPACE, "annotated-gpu",
                "capacity.cluster-autoscaler.kubernetes.io/gpu-type=nvidia.com/gpu",
                "capacity.cluster-autoscaler.kubernetes.io/gpu-count=8",
                "capacity.cluster-autoscaler.kubernetes.io/labels=node.kubernetes.io/instance-type=p4d.24xlarge,team=ml");
        GpuPool pool = pool(target("cluster.x-k8s.io/v1beta1", "MachineDeployment", NAMESPACE, "annotated-gpu"), null);

        assertThat(provider().statedShape(pool)).contains(new StatedShape(8, List.of("p4d.24xlarge"),
                GpusPerNodeSource.ClusterApiAnnotations));
    }

    @Test
    void withGpusPerNodeUnknownNothingIsScaled() throws Exception {
        machineDeployment("unknown-shape", 0);
        GpuPool pool = pool(target("cluster.x-k8s.io/v1beta1", "MachineDeployment", NAMESPACE, "unknown-shape"), null);

        SyncResult result = provider().sync(pool, CapacityPlanner.plan(new CapacityPlanner.Demand(40, 0), capacity(),
                false));

        assertThat(result.reason()).isEqualTo(SyncReason.NodeShapeUnknown);
        assertThat(result.message()).isEqualTo("GPUs per node are unknown, so no replicas were set: the pool has no "
                + "node yet and neither spec.nodeShape nor the targets' annotation "
                + "capacity.cluster-autoscaler.kubernetes.io/gpu-count state it; set spec.nodeShape.gpusPerNode or "
                + "spec.nodeShape.instanceType.");
        assertThat(spec(md("unknown-shape")).get("replicas")).isEqualTo(0);
    }

    static GenericKubernetesResource group(String name) {
        return api.client().genericKubernetesResources("test.finops.dev/v1", "NodeGroup").inNamespace(NAMESPACE)
                .withName(name).get();
    }

    @Test
    void aMissingTargetOrKindIsReportedByName() {
        SyncResult missing = provider().sync(pool(null,
                target("cluster.x-k8s.io/v1beta1", "MachineDeployment", NAMESPACE, "absent")), plan(false));
        assertThat(missing.synced()).isFalse();
        assertThat(missing.reason()).isEqualTo(SyncReason.ScaleTargetNotFound);
        assertThat(missing.message()).isEqualTo("MachineDeployment capi-workloads/absent does not exist; create it "
                + "or fix spec.provider.scaleTargets.onDemand.");

        SyncResult unserved = provider().sync(pool(
                target("cluster.x-k8s.io/v1beta1", "MachinePool", NAMESPACE, "x"), null), plan(false));
        assertThat(unserved.reason()).isEqualTo(SyncReason.ScaleTargetApiNotServed);
        assertThat(unserved.message()).isEqualTo("The API server does not serve MachinePool "
                + "(cluster.x-k8s.io/v1beta1); install its CRD or fix the provider in spec.provider.");
    }
}
