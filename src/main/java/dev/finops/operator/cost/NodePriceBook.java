package dev.finops.operator.cost;

import dev.finops.operator.model.CapacityType;
import dev.finops.operator.model.GpuNode;
import dev.finops.operator.pricing.InstancePrice;
import dev.finops.operator.pricing.PriceCatalog;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;

/**
 * The hourly price of every GPU node, from the catalog, the pools' overrides and the pools' reservations.
 * Pure; rebuilt when nodes, pools or prices change.
 */
public final class NodePriceBook {

    private final Map<String, NodeRate> rates;
    private final Set<String> unknownInstanceTypes;

    private NodePriceBook(Map<String, NodeRate> rates, Set<String> unknownInstanceTypes) {
        this.rates = Map.copyOf(rates);
        this.unknownInstanceTypes = Set.copyOf(unknownInstanceTypes);
    }

    public static NodePriceBook build(Collection<GpuNode> nodes, List<PoolPricing> pools, PriceCatalog catalog) {
        List<PoolPricing> ordered = pools.stream().sorted(Comparator.comparing(PoolPricing::poolName)).toList();
        Map<String, List<GpuNode>> onDemandByPool = new HashMap<>();
        Map<String, PoolPricing> poolOfNode = new HashMap<>();
        for (GpuNode node : nodes) {
            if (!node.gpus().hasGpus()) {
                continue;
            }
            Optional<PoolPricing> pool = ordered.stream().filter(p -> p.nodeSelector().test(node.labels())).findFirst();
            pool.ifPresent(p -> {
                poolOfNode.put(node.name(), p);
                if (node.capacityType() == CapacityType.ON_DEMAND) {
                    onDemandByPool.computeIfAbsent(p.poolName(), k -> new ArrayList<>()).add(node);
                }
            });
        }
        Map<String, NodeRate> rates = new HashMap<>();
        Set<String> unknown = new TreeSet<>();
        for (GpuNode node : nodes) {
            if (!node.gpus().hasGpus()) {
                continue;
            }
            PoolPricing pool = poolOfNode.get(node.name());
            InstancePrice price = priceOf(node, pool, catalog);
            OptionalLong base = price == null ? OptionalLong.empty() : price.perHour(node.capacityType());
            OptionalLong onDemand = price == null ? OptionalLong.empty() : price.perHour(CapacityType.ON_DEMAND);
            long micros = base.orElse(-1);
            boolean blended = false;
            if (pool != null && node.capacityType() == CapacityType.ON_DEMAND && pool.reservedNodes() > 0 && base.isPresent()) {
                OptionalLong reserved = price.perHour(CapacityType.RESERVED);
                int count = onDemandByPool.get(pool.poolName()).size();
                if (reserved.isPresent()) {
                    long covered = Math.min(pool.reservedNodes(), count);
                    micros = blend(covered, reserved.getAsLong(), count - covered, base.getAsLong());
                    blended = true;
                } else {
                    micros = -1;
                }
            }
            if (micros < 0) {
                unknown.add(describe(node));
            }
            rates.put(node.name(), new NodeRate(node.name(), node.instanceType(), node.capacityType(), blended, micros,
                    onDemand.orElse(-1), pool == null ? null : pool.poolName()));
        }
        return new NodePriceBook(rates, unknown);
    }

    /** The mean of two prices weighted by node counts, exact (never wraps: it lies between the two prices). */
    static long blend(long reservedCount, long reservedMicros, long onDemandCount, long onDemandMicros) {
        return BigInteger.valueOf(reservedCount).multiply(BigInteger.valueOf(reservedMicros))
                .add(BigInteger.valueOf(onDemandCount).multiply(BigInteger.valueOf(onDemandMicros)))
                .divide(BigInteger.valueOf(reservedCount + onDemandCount)).longValueExact();
    }

    private static InstancePrice priceOf(GpuNode node, PoolPricing pool, PriceCatalog catalog) {
        InstancePrice base = catalog.find(node.instanceType()).orElse(null);
        if (pool != null && pool.overridesPriceOf(node.instanceType())) {
            InstancePrice empty = new InstancePrice(node.instanceType(), null, 0, -1, -1, -1);
            return (base == null ? empty : base).overriddenBy(pool.overrides());
        }
        return base;
    }

    private static String describe(GpuNode node) {
        String type = node.instanceType() == null ? "(no node.kubernetes.io/instance-type label)" : node.instanceType();
        return type + " " + node.capacityType().label();
    }

    public Optional<NodeRate> rateOf(String node) {
        return node == null ? Optional.empty() : Optional.ofNullable(rates.get(node));
    }

    /** Instance types (with capacity type) that GPU nodes run but no price is known for, sorted. */
    public Set<String> unknownInstanceTypes() {
        return unknownInstanceTypes;
    }
}
