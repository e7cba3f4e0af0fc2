package dev.finops.sim.ml;

import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;

/**
 * A kind of another project's CRD (Kubeflow, KubeRay, Kueue): what the client needs to reach it without API
 * discovery, and the CRD's name to check it is installed.
 */
record CustomKind(String group, String version, String kind, String plural) {

    static final CustomKind RAY_JOB = new CustomKind("ray.io", "v1", "RayJob", "rayjobs");
    static final CustomKind RAY_CLUSTER = new CustomKind("ray.io", "v1", "RayCluster", "rayclusters");
    /** Kueue v0.17 stores Workloads as v1beta2. */
    static final CustomKind KUEUE_WORKLOAD = new CustomKind("kueue.x-k8s.io", "v1beta2", "Workload", "workloads");

    String apiVersion() {
        return group + "/" + version;
    }

    String crdName() {
        return plural + "." + group;
    }

    ResourceDefinitionContext context() {
        return new ResourceDefinitionContext.Builder().withGroup(group).withVersion(version).withKind(kind)
                .withPlural(plural).withNamespaced(true).build();
    }
}
