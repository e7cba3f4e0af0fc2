package dev.finops.operator.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Cost gauges on /q/metrics, labelled by budget or pool (never by pod, to keep cardinality bounded by the
 * number of custom resources). Values are in the currency's units per the metric's name.
 */
@ApplicationScoped
public class CostMetrics {

    private final MeterRegistry registry;
    private final Map<String, Map<String, AtomicReference<Double>>> values = new ConcurrentHashMap<>();
    private final Map<String, List<Meter.Id>> meters = new ConcurrentHashMap<>();
    private final Map<String, Tags> budgetTags = new ConcurrentHashMap<>();
    private final Map<String, Set<Meter.Id>> alertCounters = new ConcurrentHashMap<>();

    public CostMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** Records one budget's figures (micro-units); a null forecast removes nothing but reports NaN. */
    public void budget(String namespace, String name, String team, String project, String currency, long spent,
            long limit, long burnPerHour, Long forecast) {
        Tags tags = Tags.of("namespace", namespace, "budget", name, "team", orEmpty(team), "project",
                orEmpty(project), "currency", orEmpty(currency));
        String key = "budget/" + namespace + "/" + name;
        Tags before = budgetTags.put(key, tags);
        if (before != null && !before.equals(tags)) {
            // new team, project or currency: the series of the old labels would otherwise stay forever
            forget(key);
        }
        set(key, "finops.budget.spent", "Spend of the current period", tags, units(spent));
        set(key, "finops.budget.limit", "Limit of the budget per period", tags, units(limit));
        set(key, "finops.budget.burn.rate.per.hour", "What the budget's workloads cost per hour now", tags,
                units(burnPerHour));
        set(key, "finops.budget.forecast", "Expected spend at period end at the current burn rate", tags,
                forecast == null ? Double.NaN : units(forecast));
    }

    /** Counts an alert threshold reached by a budget. */
    public void alertFired(String namespace, String name, int threshold) {
        Counter counter = Counter.builder("finops.budget.alerts")
                .description("Alert thresholds reached by budgets")
                .tags("namespace", namespace, "budget", name, "threshold", Integer.toString(threshold))
                .register(registry);
        alertCounters.computeIfAbsent("budget/" + namespace + "/" + name, k -> ConcurrentHashMap.newKeySet())
                .add(counter.getId());
        counter.increment();
    }

    /** Removes every series of a deleted budget: its gauges and its alert counters. */
    public void forgetBudget(String namespace, String name) {
        String key = "budget/" + namespace + "/" + name;
        forget(key);
        budgetTags.remove(key);
        Set<Meter.Id> counters = alertCounters.remove(key);
        if (counters != null) {
            counters.forEach(registry::remove);
        }
    }

    /** Records one pool's figures: cost per hour by capacity type, idle cost per hour, GPUs by state. */
    public void pool(String name, Map<String, Long> costPerHourByCapacityType, long idleCostPerHour,
            Map<String, Integer> gpusByState) {
        String key = "pool/" + name;
        costPerHourByCapacityType.forEach((type, micros) -> set(key, "finops.pool.cost.per.hour",
                "What the pool's nodes cost per hour", Tags.of("pool", name, "capacity_type", type), units(micros)));
        set(key, "finops.pool.idle.cost.per.hour", "What unallocated and idle GPUs cost per hour",
                Tags.of("pool", name), units(idleCostPerHour));
        gpusByState.forEach((state, count) -> set(key, "finops.pool.gpus", "GPUs of the pool by state",
                Tags.of("pool", name, "state", state), count));
    }

    public void forgetPool(String name) {
        forget("pool/" + name);
    }

    private void set(String key, String metric, String description, Tags tags, double value) {
        String id = metric + tags;
        AtomicReference<Double> holder = values.computeIfAbsent(key, k -> new ConcurrentHashMap<>())
                .computeIfAbsent(id, k -> {
                    AtomicReference<Double> ref = new AtomicReference<>(value);
                    Gauge gauge = Gauge.builder(metric, ref, AtomicReference::get)
                            .description(description).tags(tags).strongReference(true).register(registry);
                    meters.computeIfAbsent(key, m -> new ArrayList<>()).add(gauge.getId());
                    return ref;
                });
        holder.set(value);
    }

    private void forget(String key) {
        List<Meter.Id> ids = meters.remove(key);
        if (ids != null) {
            ids.forEach(registry::remove);
        }
        values.remove(key);
    }

    private static double units(long micros) {
        return micros / 1_000_000.0;
    }

    private static String orEmpty(String value) {
        return value == null ? "" : value;
    }
}
