package dev.finops.operator.workload;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.HashMap;
import java.util.Map;

/**
 * Pods on a real kube-apiserver with the owners their controllers would give them, for tests without a
 * kube-controller-manager: the operator acts on a pod's workload only through its live, verified owner chain.
 */
public final class LivePods {

    private LivePods() {
    }

    /** A pod {@code podName} of {@code job}, selected by its selector (the API server's default) and owned by it. */
    public static Pod ofJob(KubernetesClient client, Job job, String podName) {
        Map<String, String> labels = new HashMap<>(job.getSpec().getSelector().getMatchLabels());
        labels.put("batch.kubernetes.io/job-name", job.getMetadata().getName());
        return client.resource(MlObjects.pod(job.getMetadata().getNamespace(), podName, labels,
                MlObjects.controlledBy(job))).create();
    }

    /**
     * A ReplicaSet {@code <deployment>-<hash>} of {@code deployment} and a pod {@code podName} of it, owned and
     * labelled as the Deployment controller does it.
     */
    public static Pod ofDeployment(KubernetesClient client, Deployment deployment, String hash, String podName) {
        Map<String, String> labels = new HashMap<>(deployment.getSpec().getTemplate().getMetadata().getLabels());
        labels.put("pod-template-hash", hash);
        String namespace = deployment.getMetadata().getNamespace();
        HasMetadata replicaSet = client.resource(new ReplicaSetBuilder().withNewMetadata().withNamespace(namespace)
                .withName(deployment.getMetadata().getName() + "-" + hash).withLabels(labels)
                .withOwnerReferences(MlObjects.controlledBy(deployment)).endMetadata()
                .withNewSpec().withReplicas(0).withNewSelector().addToMatchLabels(labels).endSelector()
                .withNewTemplate().withNewMetadata().withLabels(labels).endMetadata()
                .withSpec(deployment.getSpec().getTemplate().getSpec()).endTemplate().endSpec().build()).create();
        return client.resource(MlObjects.pod(namespace, podName, labels, MlObjects.controlledBy(replicaSet))).create();
    }
}
