package dev.finops.operator.pool.provider;

import dev.finops.operator.api.GpuPool;
import dev.finops.operator.api.KarpenterNodePool;
import dev.finops.operator.api.KarpenterProvider;
import dev.finops.operator.api.NodePoolRole;
import dev.finops.operator.api.Provider;
import dev.finops.operator.model.CapacityType;
import dev.finops.operator.pool.plan.CapacityPlan;
import dev.finops.operator.pool.plan.StatedShape;
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
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Steers karpenter.sh/v1 NodePools: their {@code karpenter.sh/capacity-type} requirement, their
 * {@code nvidia.com/gpu} limit and weight, after the role each NodePool has in the pool ({@link NodePoolRoles}):
 * Reserved NodePools are tried first (reservations are paid for either way), then Spot, then OnDemand; an Any
 * NodePool (a pool's only one) gets every allowed capacity type and keeps its own weight.
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
    static final int RESERVED_WEIGHT = 100;
    static final int SPOT_WEIGHT = 50;
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
    public Optional<StatedShape> statedShape(GpuPool pool) {
        try {
            var nodePools = ServedApis.resources(client, API_VERSION, KIND).orElse(null);
            if (nodePools == null) {
                return Optional.empty();
            }
            List<List<Map<String, Object>>> requirements = new ArrayList<>();
            for (KarpenterNodePool role : NodePoolRoles.of(pool.getSpec().getProvider().getKarpenter())) {
                GenericKubernetesResource nodePool = nodePools.withName(role.getName()).get();
                if (nodePool != null) {
                    requirements.add(requirements(nodePool));
                }
            }
            return KarpenterNodeShape.of(requirements);
        } catch (KubernetesClientException e) {
            return Optional.empty(); // sync reads them again and reports the failure
        }
    }

    @Override
    public SyncResult sync(GpuPool pool, CapacityPlan plan) {
        KarpenterProvider karpenter = pool.getSpec().getProvider().getKarpenter();
        List<KarpenterNodePool> roles = NodePoolRoles.of(karpenter);
        boolean reservedElsewhere = roles.stream().anyMatch(r -> r.getRole() == NodePoolRole.Reserved);
        boolean changed = false;
        try {
            var nodePools = ServedApis.resources(client, API_VERSION, KIND).orElse(null);
            if (nodePools == null) {
                return SyncResult.failed(SyncReason.NodePoolApiNotServed, ServedApis.notServed(API_VERSION, KIND));
            }
            for (KarpenterNodePool role : roles) {
                GenericKubernetesResource nodePool = nodePools.withName(role.getName()).get();
                if (nodePool == null) {
                    return SyncResult.failed(SyncReason.NodePoolNotFound, "NodePool " + role.getName() + " ("
                            + API_VERSION + ") does not exist; create it or fix " + NodePoolRoles.field(karpenter)
                            + ".");
                }
                changed |= apply(nodePool, targetFor(role.getRole(), reservedElsewhere, plan));
            }
        } catch (KubernetesClientException e) {
            if (e.getCode() == HTTP_CONFLICT) {
                throw e; // changed since we read it: the framework retries the pass on the fresh object
            }
            return SyncResult.failed(SyncReason.NodePoolUpdateFailed, "Could not update NodePools: " + e.getMessage());
        }
        String names = roles.stream().map(r -> r.getName() + " (" + r.getRole() + ")").collect(Collectors.joining(", "));
        if (!plan.gpusPerNodeKnown()) {
            return SyncResult.failed(SyncReason.NodeShapeUnknown, changed, shapeUnknown(names, plan));
        }
        return SyncResult.ok("NodePools " + names + " allow " + String.join(", ", labels(plan.capacityTypes())) + ".",
                changed);
    }

    private static String shapeUnknown(String names, CapacityPlan plan) {
        return "NodePools " + names + " allow " + String.join(", ", labels(plan.capacityTypes())) + ", but GPUs per "
                + "node are unknown, so their " + GPU_LIMIT + " limits are left as they were: the pool has no node "
                + "yet and neither spec.nodeShape nor the NodePools' requirements ("
                + String.join(", ", KarpenterNodeShape.GPU_COUNT_KEYS) + " or " + KarpenterNodeShape.INSTANCE_TYPE
                + " with operator In) state it; set spec.nodeShape.gpusPerNode or spec.nodeShape.instanceType.";
    }

    static Target targetFor(NodePoolRole role, boolean reservedElsewhere, CapacityPlan plan) {
        Long perNode = plan.gpusPerNodeKnown() ? (long) plan.gpusPerNode() : null;
        List<String> nonSpot = labels(plan.capacityTypes().stream().filter(t -> t != CapacityType.SPOT).toList());
        return switch (role) {
            case Any -> new Target(labels(plan.capacityTypes()), times(plan.maxNodes(), perNode), null);
            case Spot -> plan.allowsSpot()
                    ? new Target(List.of(CapacityType.SPOT.label()), times(plan.maxSpotNodes(), perNode), SPOT_WEIGHT)
                    : new Target(nonSpot, times(0, perNode), SPOT_WEIGHT);
            case Reserved -> plan.capacityTypes().contains(CapacityType.RESERVED)
                    ? new Target(List.of(CapacityType.RESERVED.label()), times(plan.maxNodes(), perNode),
                            RESERVED_WEIGHT)
                    : new Target(List.of(CapacityType.RESERVED.label()), times(0, perNode), RESERVED_WEIGHT);
            case OnDemand -> {
                List<String> types = reservedElsewhere
                        ? nonSpot.stream().filter(t -> !t.equals(CapacityType.RESERVED.label())).toList() : nonSpot;
                yield types.isEmpty()
                        ? new Target(List.of(CapacityType.ON_DEMAND.label()), times(0, perNode), ON_DEMAND_WEIGHT)
                        : new Target(types, times(plan.maxNodes(), perNode), ON_DEMAND_WEIGHT);
            }
        };
    }

    private static Long times(int nodes, Long perNode) {
        return perNode == null ? null : nodes * perNode;
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> requirements(GenericKubernetesResource nodePool) {
        Map<String, Object> spec = mapOr(nodePool.getAdditionalProperties().get("spec"));
        Map<String, Object> templateSpec = mapOr(mapOr(spec.get("template")).get("spec"));
        return templateSpec.get("requirements") instanceof List<?> list ? (List<Map<String, Object>>) list : List.of();
    }

    /** Applies the target when the NodePool differs from it; true when it wrote. */
    boolean apply(GenericKubernetesResource nodePool, Target target) {
        Map<String, Object> spec = mapOr(nodePool.getAdditionalProperties().get("spec"));
        List<Map<String, Object>> requirements = requirements(nodePool);
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
