package dev.finops.operator.pool.provider;

import dev.finops.operator.api.GpuPool;
import dev.finops.operator.api.Provider;
import dev.finops.operator.model.CapacityType;
import dev.finops.operator.pool.plan.CapacityPlan;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Steers karpenter.sh/v1 NodePools: their {@code karpenter.sh/capacity-type} requirement, their
 * {@code nvidia.com/gpu} limit and, with more than one NodePool, their weights. The first NodePool of the list
 * is the pool's spot NodePool (highest weight, so Karpenter tries spot first), the others its on-demand ones; a
 * single NodePool gets every allowed capacity type.
 *
 * <p>Written by server-side apply as {@link #FIELD_MANAGER}. {@code template.spec.requirements} is an atomic list
 * in the CRD, so the applied list carries the other requirements exactly as read, and the apply carries the
 * resourceVersion they were read at: a concurrent edit makes it fail rather than be overwritten.
 */
@ApplicationScoped
public class KarpenterNodePools implements CapacityProvider {

    public static final String API_VERSION = "karpenter.sh/v1";
    public static final String KIND = "NodePool";
    public static final String CAPACITY_TYPE = "karpenter.sh/capacity-type";
    public static final String GPU_LIMIT = "nvidia.com/gpu";
    static final int SPOT_WEIGHT = 100;
    static final int ON_DEMAND_WEIGHT = 10;
    private static final int HTTP_CONFLICT = 409;

    private final KubernetesClient client;

    public KarpenterNodePools(KubernetesClient client) {
        this.client = client;
    }

    @Override
    public boolean serves(Provider provider) {
        return provider != null && provider.getKarpenter() != null;
    }

    /** What one NodePool should say. {@code weight} null: not ours to set; {@code gpuLimit} null: unknown. */
    record Target(List<String> capacityTypes, Long gpuLimit, Integer weight) {
    }

    @Override
    public SyncResult sync(GpuPool pool, CapacityPlan plan) {
        List<String> names = pool.getSpec().getProvider().getKarpenter().getNodePools();
        List<String> changed = new ArrayList<>();
        try {
            var nodePools = ServedApis.resources(client, API_VERSION, KIND).orElse(null);
            if (nodePools == null) {
                return SyncResult.failed(SyncReason.NodePoolApiNotServed, ServedApis.notServed(API_VERSION, KIND));
            }
            for (int i = 0; i < names.size(); i++) {
                GenericKubernetesResource nodePool = nodePools.withName(names.get(i)).get();
                if (nodePool == null) {
                    return SyncResult.failed(SyncReason.NodePoolNotFound, "NodePool " + names.get(i) + " (" + API_VERSION
                            + ") does not exist; create it or fix spec.provider.karpenter.nodePools.");
                }
                if (apply(nodePool, targetFor(i, names.size(), plan))) {
                    changed.add(names.get(i));
                }
            }
        } catch (KubernetesClientException e) {
            if (e.getCode() == HTTP_CONFLICT) {
                throw e; // changed since we read it: the framework retries the pass on the fresh object
            }
            return SyncResult.failed(SyncReason.NodePoolUpdateFailed, "Could not update NodePools: " + e.getMessage());
        }
        return SyncResult.ok("NodePools " + String.join(", ", names) + " allow " + String.join(", ",
                labels(plan.capacityTypes())) + (plan.gpusPerNodeKnown() ? "" : "; GPUs per node unknown, "
                        + GPU_LIMIT + " limit left as it was"), !changed.isEmpty());
    }

    static Target targetFor(int index, int count, CapacityPlan plan) {
        Long perNode = plan.gpusPerNodeKnown() ? (long) plan.gpusPerNode() : null;
        if (count == 1) {
            return new Target(labels(plan.capacityTypes()), times(plan.maxNodes(), perNode), null);
        }
        List<String> nonSpot = labels(plan.capacityTypes().stream().filter(t -> t != CapacityType.SPOT).toList());
        if (index == 0) {
            return plan.allowsSpot()
                    ? new Target(List.of(CapacityType.SPOT.label()), times(plan.maxSpotNodes(), perNode), SPOT_WEIGHT)
                    : new Target(nonSpot, times(0, perNode), SPOT_WEIGHT);
        }
        return nonSpot.isEmpty()
                ? new Target(List.of(CapacityType.ON_DEMAND.label()), times(0, perNode), ON_DEMAND_WEIGHT)
                : new Target(nonSpot, times(plan.maxNodes(), perNode), ON_DEMAND_WEIGHT);
    }

    private static Long times(int nodes, Long perNode) {
        return perNode == null ? null : nodes * perNode;
    }

    /** Applies the target when the NodePool differs from it; true when it wrote. */
    @SuppressWarnings("unchecked")
    boolean apply(GenericKubernetesResource nodePool, Target target) {
        Map<String, Object> spec = mapOr(nodePool.getAdditionalProperties().get("spec"));
        Map<String, Object> templateSpec = mapOr(mapOr(spec.get("template")).get("spec"));
        List<Map<String, Object>> requirements = templateSpec.get("requirements") instanceof List<?> list
                ? (List<Map<String, Object>>) list : List.of();
        Object currentLimit = mapOr(spec.get("limits")).get(GPU_LIMIT);
        Long limit = target.gpuLimit() != null ? target.gpuLimit() : parseLimit(currentLimit);
        if (capacityTypes(requirements).equals(target.capacityTypes())
                && Objects.equals(limit, parseLimit(currentLimit))
                && (target.weight() == null || Objects.equals(target.weight(), asInt(spec.get("weight"))))) {
            return false;
        }
        client.genericKubernetesResources(API_VERSION, KIND)
                .resource(applyConfiguration(nodePool, requirements, target, limit))
                .fieldManager(FIELD_MANAGER).forceConflicts().serverSideApply();
        return true;
    }

    static GenericKubernetesResource applyConfiguration(GenericKubernetesResource nodePool,
            List<Map<String, Object>> requirements, Target target, Long limit) {
        List<Map<String, Object>> applied = new ArrayList<>();
        for (Map<String, Object> requirement : requirements) {
            if (!CAPACITY_TYPE.equals(requirement.get("key"))) {
                applied.add(requirement);
            }
        }
        Map<String, Object> ours = new LinkedHashMap<>();
        ours.put("key", CAPACITY_TYPE);
        ours.put("operator", "In");
        ours.put("values", target.capacityTypes());
        applied.add(ours);
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("template", Map.of("spec", Map.of("requirements", applied)));
        if (limit != null) {
            spec.put("limits", Map.of(GPU_LIMIT, limit));
        }
        if (target.weight() != null) {
            spec.put("weight", target.weight());
        }
        GenericKubernetesResource body = new GenericKubernetesResource();
        body.setApiVersion(API_VERSION);
        body.setKind(KIND);
        body.setMetadata(new ObjectMetaBuilder()
                .withName(nodePool.getMetadata().getName())
                .withResourceVersion(nodePool.getMetadata().getResourceVersion()).build());
        body.setAdditionalProperty("spec", spec);
        return body;
    }

    @SuppressWarnings("unchecked")
    /** Capacity types as the values of Karpenter's {@code karpenter.sh/capacity-type} requirement. */
    private static List<String> labels(List<CapacityType> types) {
        return types.stream().map(CapacityType::label).toList();
    }

    static List<String> capacityTypes(List<Map<String, Object>> requirements) {
        return requirements.stream().filter(r -> CAPACITY_TYPE.equals(r.get("key")) && "In".equals(r.get("operator")))
                .findFirst().map(r -> r.get("values") instanceof List<?> values ? (List<String>) values : List.<String>of())
                .orElse(List.of());
    }

    static Long parseLimit(Object value) {
        if (value == null) {
            return null;
        }
        try {
            return new Quantity(value.toString()).getNumericalAmount().longValueExact();
        } catch (ArithmeticException | IllegalArgumentException e) {
            return null;
        }
    }

    private static Integer asInt(Object value) {
        return value instanceof Number number ? number.intValue() : null;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> mapOr(Object value) {
        return value instanceof Map<?, ?> map ? (Map<String, Object>) map : Map.of();
    }
}
