package dev.finops.operator.pool.provider;

import static org.assertj.core.api.Assertions.assertThat;

import dev.finops.operator.api.ScaleTargetReference;
import java.util.List;
import org.junit.jupiter.api.Test;

class ScaleTargetKindsTest {

    static ScaleTargetReference target(String apiVersion, String kind) {
        ScaleTargetReference target = new ScaleTargetReference();
        target.setApiVersion(apiVersion);
        target.setKind(kind);
        target.setNamespace("ns");
        target.setName("x");
        return target;
    }

    @Test
    void clusterApiNodeGroupsAtAnyVersionAndListedKindsOnly() {
        ScaleTargetKinds kinds = new ScaleTargetKinds(List.of(" NodeGroup.nodes.example.com ", ""));

        assertThat(kinds.allows(target("cluster.x-k8s.io/v1beta1", "MachineDeployment"))).isTrue();
        assertThat(kinds.allows(target("cluster.x-k8s.io/v1beta2", "MachinePool"))).isTrue();
        assertThat(kinds.allows(target("cluster.x-k8s.io/v1beta2", "MachineSet"))).isTrue();
        assertThat(kinds.allows(target("nodes.example.com/v1", "NodeGroup"))).isTrue();

        assertThat(kinds.allows(target("apps/v1", "Deployment"))).isFalse();
        assertThat(kinds.allows(target("apps/v1", "StatefulSet"))).isFalse();
        assertThat(kinds.allows(target("cluster.x-k8s.io/v1beta1", "Machine"))).as("not a node group").isFalse();
        assertThat(kinds.allows(target("evil.x-k8s.io/v1", "MachineDeployment"))).isFalse();
        assertThat(kinds.allows(target("v1", "ReplicationController"))).isFalse();
        assertThat(new ScaleTargetKinds(List.of("Deployment.apps")).allows(target("apps/v1", "Deployment")))
                .as("only when the platform team lists it").isTrue();
    }
}
