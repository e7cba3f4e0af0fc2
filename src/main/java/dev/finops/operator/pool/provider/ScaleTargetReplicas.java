package dev.finops.operator.pool.provider;

import dev.finops.operator.api.GpuPool;
import dev.finops.operator.api.Provider;
import dev.finops.operator.api.ScaleTargetReference;
import dev.finops.operator.api.ScaleTargets;
import dev.finops.operator.pool.plan.CapacityPlan;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.autoscaling.v1.Scale;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;

/**
 * Sets the replicas of the spot and on-demand targets through their /scale subresource (Cluster API
 * MachineDeployment or MachinePool, or any resource with /scale), and nothing else of them. With only one target,
 * it runs every node the plan wants.
 */
@ApplicationScoped
public class ScaleTargetReplicas implements CapacityProvider {

    private final KubernetesClient client;

    public ScaleTargetReplicas(KubernetesClient client) {
        this.client = client;
    }

    @Override
    public boolean serves(Provider provider) {
        return provider != null && provider.getScaleTargets() != null;
    }

    @Override
    public SyncResult sync(GpuPool pool, CapacityPlan plan) {
        ScaleTargets targets = pool.getSpec().getProvider().getScaleTargets();
        int total = plan.spot() + plan.onDemand();
        List<String> done = new ArrayList<>();
        boolean changed = false;
        try {
            for (Assignment assignment : List.of(
                    new Assignment("spot", targets.getSpot(), targets.getOnDemand() == null ? total : plan.spot()),
                    new Assignment("onDemand", targets.getOnDemand(),
                            targets.getSpot() == null ? total : plan.onDemand()))) {
                if (assignment.target() == null) {
                    continue;
                }
                SyncResult result = scaleOne(assignment);
                if (!result.synced()) {
                    return result;
                }
                changed |= result.changed();
                done.add(describe(assignment.target()) + "=" + assignment.replicas());
            }
        } catch (KubernetesClientException e) {
            return SyncResult.failed(SyncReason.ScaleFailed, "Could not scale: " + e.getMessage());
        }
        return SyncResult.ok("Replicas " + String.join(", ", done) + ".", changed);
    }

    /** Replicas for the target named in spec.provider.scaleTargets.{field}. */
    private record Assignment(String field, ScaleTargetReference target, int replicas) {
    }

    private SyncResult scaleOne(Assignment assignment) {
        ScaleTargetReference target = assignment.target();
        var resources = ServedApis.resources(client, target.getApiVersion(), target.getKind()).orElse(null);
        if (resources == null) {
            return SyncResult.failed(SyncReason.ScaleTargetApiNotServed,
                    ServedApis.notServed(target.getApiVersion(), target.getKind()));
        }
        Resource<GenericKubernetesResource> resource = target.getNamespace() == null
                ? resources.withName(target.getName())
                : resources.inNamespace(target.getNamespace()).withName(target.getName());
        if (resource.get() == null) {
            return SyncResult.failed(SyncReason.ScaleTargetNotFound, describe(target) + " does not exist; create it or fix "
                    + "spec.provider.scaleTargets." + assignment.field() + ".");
        }
        return SyncResult.ok("", scale(resource, assignment.replicas()));
    }

    /** Writes only when /scale reports other replicas. */
    static boolean scale(Resource<GenericKubernetesResource> resource, int replicas) {
        Scale current = resource.scale();
        if (current.getSpec() != null && current.getSpec().getReplicas() != null
                && current.getSpec().getReplicas() == replicas) {
            return false;
        }
        resource.scale(replicas);
        return true;
    }

    private static String describe(ScaleTargetReference target) {
        return target.getKind() + " " + (target.getNamespace() == null ? "" : target.getNamespace() + "/")
                + target.getName();
    }
}
