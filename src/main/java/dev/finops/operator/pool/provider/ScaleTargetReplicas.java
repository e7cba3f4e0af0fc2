package dev.finops.operator.pool.provider;

import dev.finops.operator.api.GpuPool;
import dev.finops.operator.api.Provider;
import dev.finops.operator.api.ScaleTargetReference;
import dev.finops.operator.api.ScaleTargets;
import dev.finops.operator.config.OperatorConfig;
import dev.finops.operator.pool.plan.CapacityPlan;
import dev.finops.operator.pool.plan.StatedShape;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.autoscaling.v1.Scale;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Sets the replicas of the spot and on-demand targets through their /scale subresource, and nothing else of them.
 * Only kinds {@link ScaleTargetKinds} allows are touched: any other target is refused before a single request.
 * With only one target, it runs every node the plan wants. With GPUs per node unknown nothing is written: the
 * replicas would be a guess.
 */
@ApplicationScoped
public class ScaleTargetReplicas implements CapacityProvider {

    private final KubernetesClient client;
    private final ScaleTargetKinds kinds;

    @Inject
    public ScaleTargetReplicas(KubernetesClient client, OperatorConfig config) {
        this(client, new ScaleTargetKinds(config.scaleTargets().allowedKinds().orElse(List.of())));
    }

    public ScaleTargetReplicas(KubernetesClient client, ScaleTargetKinds kinds) {
        this.client = client;
        this.kinds = kinds;
    }

    @Override
    public boolean serves(Provider provider) {
        return provider != null && provider.getScaleTargets() != null;
    }

    /** Replicas for the target named in spec.provider.scaleTargets.{field}. */
    private record Assignment(String field, ScaleTargetReference target, int replicas) {
    }

    /** The targets with their replicas; with a single target, it runs every node. */
    private static List<Assignment> assignments(ScaleTargets targets, int spot, int onDemand) {
        List<Assignment> assignments = new ArrayList<>();
        if (targets.getSpot() != null) {
            assignments.add(new Assignment("spot", targets.getSpot(),
                    targets.getOnDemand() == null ? spot + onDemand : spot));
        }
        if (targets.getOnDemand() != null) {
            assignments.add(new Assignment("onDemand", targets.getOnDemand(),
                    targets.getSpot() == null ? spot + onDemand : onDemand));
        }
        return assignments;
    }

    @Override
    public Optional<StatedShape> statedShape(GpuPool pool) {
        List<Map<String, String>> annotations = new ArrayList<>();
        try {
            for (Assignment assignment : assignments(pool.getSpec().getProvider().getScaleTargets(), 0, 0)) {
                if (refusal(assignment).isPresent()) {
                    return Optional.empty();
                }
                GenericKubernetesResource object = resource(assignment.target()).map(Resource::get).orElse(null);
                if (object != null && object.getMetadata().getAnnotations() != null) {
                    annotations.add(object.getMetadata().getAnnotations());
                }
            }
        } catch (KubernetesClientException e) {
            return Optional.empty(); // sync reads them again and reports the failure
        }
        return ClusterApiNodeShape.of(annotations);
    }

    @Override
    public SyncResult sync(GpuPool pool, CapacityPlan plan) {
        List<Assignment> assignments = assignments(pool.getSpec().getProvider().getScaleTargets(), plan.spot(),
                plan.onDemand());
        for (Assignment assignment : assignments) {
            Optional<SyncResult> refused = refusal(assignment);
            if (refused.isPresent()) {
                return refused.get();
            }
        }
        if (!plan.gpusPerNodeKnown()) {
            return SyncResult.failed(SyncReason.NodeShapeUnknown, "GPUs per node are unknown, so no replicas were "
                    + "set: the pool has no node yet and neither spec.nodeShape nor the targets' annotation "
                    + ClusterApiNodeShape.GPU_COUNT + " state it; set spec.nodeShape.gpusPerNode or "
                    + "spec.nodeShape.instanceType.");
        }
        List<String> done = new ArrayList<>();
        boolean changed = false;
        try {
            for (Assignment assignment : assignments) {
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

    /** Why a target must not be touched at all, before any request: a kind not allowed, or no namespace. */
    private Optional<SyncResult> refusal(Assignment assignment) {
        String field = "spec.provider.scaleTargets." + assignment.field();
        if (!kinds.allows(assignment.target())) {
            return Optional.of(SyncResult.failed(SyncReason.ScaleTargetKindNotAllowed,
                    kinds.refusal(field, assignment.target())));
        }
        if (assignment.target().getNamespace() == null || assignment.target().getNamespace().isBlank()) {
            return Optional.of(SyncResult.failed(SyncReason.ScaleTargetNamespaceMissing, field + ".namespace is "
                    + "required: name the namespace of " + assignment.target().getKind() + " "
                    + assignment.target().getName() + "; nothing was scaled."));
        }
        return Optional.empty();
    }

    private Optional<Resource<GenericKubernetesResource>> resource(ScaleTargetReference target) {
        return ServedApis.resources(client, target.getApiVersion(), target.getKind())
                .map(resources -> resources.inNamespace(target.getNamespace()).withName(target.getName()));
    }

    private SyncResult scaleOne(Assignment assignment) {
        ScaleTargetReference target = assignment.target();
        Resource<GenericKubernetesResource> resource = resource(target).orElse(null);
        if (resource == null) {
            return SyncResult.failed(SyncReason.ScaleTargetApiNotServed,
                    ServedApis.notServed(target.getApiVersion(), target.getKind()));
        }
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
        return target.getKind() + " " + target.getNamespace() + "/" + target.getName();
    }
}
