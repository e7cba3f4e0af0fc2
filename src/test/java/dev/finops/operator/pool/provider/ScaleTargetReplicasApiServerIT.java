package dev.finops.operator.pool.provider;

import static org.assertj.core.api.Assertions.assertThat;

import dev.finops.operator.api.Capacity;
import dev.finops.operator.api.CapacityStrategy;
import dev.finops.operator.api.GpuPool;
import dev.finops.operator.api.GpuPoolSpec;
import dev.finops.operator.api.Provider;
import dev.finops.operator.api.ScaleTargetReference;
import dev.finops.operator.api.ScaleTargets;
import dev.finops.operator.apiserver.RealApiServer;
import dev.finops.operator.pool.plan.CapacityPlan;
import dev.finops.operator.pool.plan.CapacityPlanner;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
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
                  scope: Cluster
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

    /** 40 GPUs on 8-GPU nodes = 5 nodes; 50% spot: 2 spot, 3 on-demand (1 of them reserved). */
    static CapacityPlan plan(boolean fallback) {
        Capacity capacity = new Capacity();
        capacity.setStrategy(CapacityStrategy.ReservedFirst);
        capacity.setReservedNodes(1);
        capacity.setMaxNodes(6);
        capacity.setMaxSpotPercent(50);
        return CapacityPlanner.plan(new CapacityPlanner.Demand(40, 8), capacity, fallback);
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
        ScaleTargetReplicas provider = new ScaleTargetReplicas(api.client());

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
    void anyResourceWithScaleWorksAndASingleTargetRunsEveryNode() throws Exception {
        apply("""
                apiVersion: test.finops.dev/v1
                kind: NodeGroup
                metadata: {name: gpu-spot-group}
                spec: {size: 1, machineType: p5.48xlarge}
                """);
        GpuPool pool = pool(target("test.finops.dev/v1", "NodeGroup", null, "gpu-spot-group"), null);

        SyncResult result = new ScaleTargetReplicas(api.client()).sync(pool, plan(false));

        assertThat(result.synced()).as(result.message()).isTrue();
        GenericKubernetesResource group = api.client().genericKubernetesResources("test.finops.dev/v1", "NodeGroup")
                .withName("gpu-spot-group").get();
        assertThat(spec(group)).isEqualTo(Map.of("size", 5, "machineType", "p5.48xlarge"));
    }

    @Test
    void aMissingTargetOrKindIsReportedByName() {
        SyncResult missing = new ScaleTargetReplicas(api.client()).sync(pool(null,
                target("cluster.x-k8s.io/v1beta1", "MachineDeployment", NAMESPACE, "absent")), plan(false));
        assertThat(missing.synced()).isFalse();
        assertThat(missing.reason()).isEqualTo(SyncReason.ScaleTargetNotFound);
        assertThat(missing.message()).isEqualTo("MachineDeployment capi-workloads/absent does not exist; create it "
                + "or fix spec.provider.scaleTargets.onDemand.");

        SyncResult unserved = new ScaleTargetReplicas(api.client()).sync(pool(
                target("infrastructure.cluster.x-k8s.io/v1beta2", "AWSMachinePool", NAMESPACE, "x"), null),
                plan(false));
        assertThat(unserved.reason()).isEqualTo(SyncReason.ScaleTargetApiNotServed);
        assertThat(unserved.message()).isEqualTo("The API server does not serve AWSMachinePool "
                + "(infrastructure.cluster.x-k8s.io/v1beta2); install its CRD or fix the provider in spec.provider.");
    }
}
