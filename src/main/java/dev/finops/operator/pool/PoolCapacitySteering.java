package dev.finops.operator.pool;

import dev.finops.operator.api.Capacity;
import dev.finops.operator.api.DesiredCapacity;
import dev.finops.operator.api.GpuPool;
import dev.finops.operator.api.GpuPoolStatus;
import dev.finops.operator.api.Interruptions;
import dev.finops.operator.api.SpotFallback;
import dev.finops.operator.cluster.ClusterView;
import dev.finops.operator.cluster.PriceCatalogSource;
import dev.finops.operator.model.GpuNode;
import dev.finops.operator.model.GpuPod;
import dev.finops.operator.model.LabelSelectorMatcher;
import dev.finops.operator.pool.plan.CapacityPlan;
import dev.finops.operator.pool.plan.CapacityPlanner;
import dev.finops.operator.pool.plan.GpusPerNode;
import dev.finops.operator.pool.provider.CapacityProvider;
import dev.finops.operator.pool.provider.CapacityProviders;
import dev.finops.operator.pool.provider.SyncReason;
import dev.finops.operator.pool.provider.SyncResult;
import dev.finops.operator.status.Conditions;
import dev.finops.operator.validation.GoDuration;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The capacity half of a pool's pass: demand, the spot fallback, the plan, the provider sync, and their status
 * (desired, interruptions, ProviderSynced, SpotFallbackActive). The decisions are pure (PoolDemand,
 * SpotFallbackPolicy, CapacityPlanner); this class only gathers their inputs and applies their outputs.
 */
@ApplicationScoped
public class PoolCapacitySteering {

    private final KubernetesClient client;
    private final ClusterView cluster;
    private final SpotInterruptionWatch interruptions;
    private final PriceCatalogSource catalog;
    private final CapacityProviders providers;

    public PoolCapacitySteering(KubernetesClient client, ClusterView cluster, SpotInterruptionWatch interruptions,
            PriceCatalogSource catalog, CapacityProviders providers) {
        this.client = client;
        this.cluster = cluster;
        this.interruptions = interruptions;
        this.catalog = catalog;
        this.providers = providers;
    }

    public void apply(GpuPool pool, GpuPoolStatus next, LabelSelectorMatcher selector, List<GpuNode> nodes,
            List<GpuPod> pods, Long generation, Instant now) {
        Capacity capacity = pool.getSpec().getCapacity();
        SpotFallbackPolicy.State fallback = evaluateFallback(pool, selector, now);
        Optional<CapacityProvider> provider = providers.serving(pool.getSpec().getProvider());
        GpusPerNode gpusPerNode = gpusPerNode(pool, nodes, provider);
        long demand = PoolDemand.gpus(nodes, pods, cluster.pendingPods(), pool.getSpec().getNodeSelector(), now);
        CapacityPlan plan = CapacityPlanner.plan(new CapacityPlanner.Demand(demand, gpusPerNode.gpus()),
                capacity, fallback.active());
        next.setDesired(desired(plan, gpusPerNode));
        next.setInterruptions(interruptions(fallback));
        next.setConditions(fallback.active()
                ? Conditions.set(next.getConditions(), PoolConditions.SPOT_FALLBACK_ACTIVE, true,
                        PoolConditions.Reason.TooManyInterruptions,
                        fallback.lastHour() + " spot interruptions in the last hour (more than "
                                + fallback.maxPerHour() + "); on-demand only until "
                                + fallback.until() + ".", generation, now)
                : Conditions.set(next.getConditions(), PoolConditions.SPOT_FALLBACK_ACTIVE, false, PoolConditions.Reason.SpotHealthy,
                        fallback.lastHour() + " spot interruptions in the last hour.", generation, now));
        SyncResult sync = provider.map(p -> p.sync(pool, plan))
                .orElse(SyncResult.ok("No provider: the pool is observed and reported only.", false));
        String message = sync.reason() == SyncReason.NodeShapeUnknown && !gpusPerNode.note().isEmpty()
                ? sync.message() + " " + gpusPerNode.note() : sync.message();
        next.setConditions(Conditions.set(next.getConditions(), PoolConditions.PROVIDER_SYNCED, sync.synced(),
                sync.reason(), message, generation, now));
        next.setConditions(specCurrent(next, pool, generation, now));
    }

    private static List<Condition> specCurrent(GpuPoolStatus next, GpuPool pool, Long generation, Instant now) {
        return PoolSpecDeprecations.of(pool.getSpec())
                .map(d -> Conditions.set(next.getConditions(), PoolConditions.SPEC_CURRENT, false, d.reason(),
                        d.message(), generation, now))
                .orElseGet(() -> Conditions.set(next.getConditions(), PoolConditions.SPEC_CURRENT, true,
                        PoolConditions.Reason.NoDeprecatedFields, "The spec uses no deprecated field.", generation,
                        now));
    }

    private SpotFallbackPolicy.State evaluateFallback(GpuPool pool, LabelSelectorMatcher selector, Instant now) {
        SpotFallback spec = Optional.ofNullable(pool.getSpec().getCapacity().getSpotFallback())
                .orElseGet(SpotFallback::new);
        Map<String, String> annotations = pool.getMetadata().getAnnotations();
        InterruptionHistory stored = InterruptionHistory.decode(
                annotations == null ? null : annotations.get(InterruptionHistory.ANNOTATION));
        Interruptions previous = pool.getStatus() == null ? null : pool.getStatus().getInterruptions();
        Instant until = previous == null || previous.getFallbackUntil() == null ? null
                : Instant.parse(previous.getFallbackUntil());
        SpotFallbackPolicy.State state = SpotFallbackPolicy.evaluate(stored, interruptions.matching(selector), until,
                spec.getMaxInterruptionsPerHour(), GoDuration.parse(spec.getCooldown()), now);
        if (!state.history().equals(stored)) {
            remember(pool, state.history());
        }
        return state;
    }

    /** A merge patch of our own annotation; the pool's resourceVersion follows, so the status write still applies. */
    private void remember(GpuPool pool, InterruptionHistory history) {
        String patch = Serialization.asJson(Map.of("metadata", Map.of("annotations",
                Map.of(InterruptionHistory.ANNOTATION, history.encode()))));
        GpuPool written = client.resources(GpuPool.class).withName(pool.getMetadata().getName())
                .patch(PatchContext.of(PatchType.JSON_MERGE), patch);
        pool.getMetadata().setResourceVersion(written.getMetadata().getResourceVersion());
        pool.getMetadata().setAnnotations(written.getMetadata().getAnnotations());
    }

    /** GPUs per node; the provider is asked only for a pool with no node and no spec.nodeShape. */
    private GpusPerNode gpusPerNode(GpuPool pool, List<GpuNode> nodes, Optional<CapacityProvider> provider) {
        int largest = nodes.stream().mapToInt(node -> node.gpus().physical()).max().orElse(0);
        return GpusPerNode.resolve(pool.getSpec(), largest,
                () -> provider.flatMap(p -> p.statedShape(pool)), catalog.catalog());
    }

    private static DesiredCapacity desired(CapacityPlan plan, GpusPerNode gpusPerNode) {
        DesiredCapacity desired = new DesiredCapacity();
        desired.setSpot(plan.spot());
        desired.setOnDemand(plan.onDemand());
        desired.setCapacityTypes(plan.capacityTypes());
        desired.setGpusPerNode(gpusPerNode.gpus());
        desired.setGpusPerNodeFrom(gpusPerNode.source());
        return desired;
    }

    private static Interruptions interruptions(SpotFallbackPolicy.State state) {
        Interruptions interruptions = new Interruptions();
        interruptions.setLastHour(state.lastHour());
        interruptions.setFallbackUntil(state.until() == null ? null : state.until().toString());
        return interruptions;
    }
}
