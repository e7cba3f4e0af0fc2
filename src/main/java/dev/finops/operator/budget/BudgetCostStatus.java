package dev.finops.operator.budget;

import dev.finops.operator.api.BudgetPhase;
import dev.finops.operator.api.ExperimentBudgetStatus;
import dev.finops.operator.api.Ledger;
import dev.finops.operator.api.PeriodTotal;
import dev.finops.operator.api.WorkloadCost;
import dev.finops.operator.budget.BudgetConditions.Reason;
import dev.finops.operator.cost.BudgetLedger;
import dev.finops.operator.cost.BudgetWindow;
import dev.finops.operator.cost.LedgerState;
import dev.finops.operator.cost.PeriodCalendar;
import dev.finops.operator.cost.PodCharge;
import dev.finops.operator.model.Money;
import dev.finops.operator.model.WorkloadKey;
import dev.finops.operator.status.Conditions;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Computes a budget's cost status: advances the exact ledger to now, then derives what people read (spent,
 * percent, burn rate, forecast, GPU hours, top workloads, phase). Pure.
 */
final class BudgetCostStatus {

    static final int TOP_WORKLOADS = 10;
    static final int HISTORY = 12;

    private BudgetCostStatus() {
    }

    /**
     * What a pass computed besides the status, in micro-units (the status holds them formatted for people).
     *
     * @param alerts the alert thresholds that fired in this pass
     * @param forecastMicros spend at period end at the current burn rate; null for a Total budget
     */
    record Figures(List<Integer> alerts, long burnMicrosPerHour, Long forecastMicros) {
    }

    /** What the ledger came to this pass, before it is shown. */
    private record Accrual(BudgetLedger.Advance advance, long burn, Long forecast, List<WorkloadCost> workloads) {
    }

    /**
     * Computes the status in place. A sum that would not fit in micro-units leaves the stored ledger as it was and
     * turns Accruing False (reason Overflow), never a wrapped amount.
     */
    static Figures apply(ExperimentBudgetStatus status, BudgetInputs in) {
        PeriodCalendar calendar = new PeriodCalendar(in.spec().getPeriod(),
                ZoneId.of(in.spec().getTimeZone()), in.created());
        BudgetLedgerCodec.Read read = BudgetLedgerCodec.read(status, calendar, in.created(), in.now());
        LedgerState before = read.state();
        long limit = Money.parseMicros(in.spec().getLimit());
        Accrual accrual;
        try {
            accrual = accrue(before, in, calendar);
        } catch (ArithmeticException overflow) {
            return overflowed(status, in, before);
        }
        LedgerState ledger = accrual.advance().state();
        show(status, in, accrual, limit);
        boolean newPeriod = !ledger.window().start().equals(before.window().start());
        List<Integer> firedBefore = newPeriod ? List.of() : status.getAlertsFired();
        List<Integer> fired = BudgetAlerts.newlyReached(in.spec().getAlerts(), status.getPercentUsed(), firedBefore);
        status.setAlertsFired(BudgetAlerts.merge(firedBefore, fired));

        Long generation = in.generation();
        boolean exceeded = limit == 0 ? ledger.spentMicros() > 0 : ledger.spentMicros() >= limit;
        status.setConditions(Conditions.set(status.getConditions(), BudgetConditions.BUDGET_EXCEEDED, exceeded,
                exceeded ? Reason.LimitReached : Reason.WithinLimit,
                "Spent " + status.getSpent() + " of " + Money.formatCents(limit) + " " + in.spec().getCurrency()
                        + " (" + status.getPercentUsed() + "%).", generation, in.now()));
        status.setConditions(accruing(status, in, read.origin(), newPeriod));
        status.setConditions(pricesKnown(status, in));
        status.setConditions(forecastCondition(status, in, limit, accrual.forecast()));
        String reached = status.getAlertsFired().stream().map(t -> t + "%").collect(Collectors.joining(", "));
        status.setConditions(Conditions.set(status.getConditions(), BudgetConditions.THRESHOLD_REACHED,
                !status.getAlertsFired().isEmpty(), reached.isEmpty() ? Reason.BelowThresholds : Reason.ThresholdReached,
                reached.isEmpty() ? "No alert threshold reached this period."
                        : "Reached " + reached + " of the limit this period.", generation, in.now()));
        return new Figures(fired, accrual.burn(), accrual.forecast());
    }

    /** Every overflow-checked sum of the pass; throws {@link ArithmeticException} when one does not fit. */
    private static Accrual accrue(LedgerState before, BudgetInputs in, PeriodCalendar calendar) {
        BudgetLedger.Advance advance = BudgetLedger.advance(before, in.charges(), in.accrueUntil(), calendar);
        long burn = burnRate(in.charges(), in.now());
        return new Accrual(advance, burn, forecast(advance.state(), burn, in.accrueUntil()),
                workloads(advance.state(), in.charges(), in.now()));
    }

    /** The figures people read, from the advanced ledger. */
    private static void show(ExperimentBudgetStatus status, BudgetInputs in, Accrual accrual, long limit) {
        LedgerState ledger = accrual.advance().state();
        status.setPeriodStart(ledger.window().start().toString());
        status.setPeriodEnd(ledger.window().end() == null ? null : ledger.window().end().toString());
        status.setLedger(ledger(ledger));
        status.setSpent(Money.formatCents(ledger.spentMicros()));
        status.setPercentUsed(percent(ledger.spentMicros(), limit));
        status.setBurnRatePerHour(Money.formatCents(accrual.burn()));
        status.setForecast(accrual.forecast() == null ? null : Money.formatCents(accrual.forecast()));
        status.setGpuHours(BigDecimal.valueOf(ledger.gpuMicroHours()).movePointLeft(6)
                .setScale(2, RoundingMode.HALF_UP).toPlainString());
        status.setWorkloads(accrual.workloads());
        status.setHistory(history(status.getHistory(), accrual.advance().closedPeriods()));
        status.setPhase(phase(in, ledger.spentMicros(), limit));
    }

    /**
     * Accruing True; after a lost ledger, with reason LedgerRestarted (an Event) until the period ends, so the
     * restart is never silent.
     */
    private static List<io.fabric8.kubernetes.api.model.Condition> accruing(ExperimentBudgetStatus status,
            BudgetInputs in, BudgetLedgerCodec.Origin origin, boolean newPeriod) {
        Optional<io.fabric8.kubernetes.api.model.Condition> previous =
                Conditions.find(status.getConditions(), BudgetConditions.ACCRUING);
        if (origin == BudgetLedgerCodec.Origin.RESTARTED) {
            return Conditions.set(status.getConditions(), BudgetConditions.ACCRUING, true, Reason.LedgerRestarted,
                    "status.ledger was missing although the budget was created at " + in.created() + " (its status "
                            + "was cleared, or never written while the operator was away): accrual restarted at "
                            + in.now() + " from the creation, counting again every pod still known; pods deleted "
                            + "more than an hour before are not counted, so this period's spend may be too low.",
                    in.generation(), in.now());
        }
        boolean restartedThisPeriod = !newPeriod && previous.map(c -> "True".equals(c.getStatus())
                && Reason.LedgerRestarted.name().equals(c.getReason())).orElse(false);
        if (restartedThisPeriod) {
            return Conditions.set(status.getConditions(), BudgetConditions.ACCRUING, true, Reason.LedgerRestarted,
                    previous.get().getMessage(), in.generation(), in.now());
        }
        return Conditions.set(status.getConditions(), BudgetConditions.ACCRUING, true, Reason.Accruing,
                in.charges().size() + " GPU pods counted; burning " + status.getBurnRatePerHour() + " "
                        + in.spec().getCurrency() + "/h.", in.generation(), in.now());
    }

    /** The stored ledger stays as it was (a new budget's from its creation); Accruing False says why. */
    private static Figures overflowed(ExperimentBudgetStatus status, BudgetInputs in, LedgerState before) {
        if (status.getLedger() == null) {
            status.setPeriodStart(before.window().start().toString());
            status.setPeriodEnd(before.window().end() == null ? null : before.window().end().toString());
            status.setLedger(ledger(before));
            status.setSpent(Money.formatCents(before.spentMicros()));
        }
        String currency = " " + in.spec().getCurrency();
        status.setConditions(Conditions.set(status.getConditions(), BudgetConditions.ACCRUING, false, Reason.Overflow,
                "The cost after " + before.accruedUntil() + " would take a sum past "
                        + Money.formatExact(Long.MAX_VALUE) + currency + ", the most the ledger holds: it stays at "
                        + Money.formatExact(before.spentMicros()) + currency + " counted up to " + before.accruedUntil()
                        + ", never wrapped. A price is likely wrong: check the price ConfigMap and the GpuPools' "
                        + "spec.pricing.", in.generation(), in.now()));
        return new Figures(List.of(), 0, null);
    }

    private static List<io.fabric8.kubernetes.api.model.Condition> forecastCondition(ExperimentBudgetStatus status,
            BudgetInputs in, long limit, Long forecast) {
        String currency = " " + in.spec().getCurrency();
        if (!Boolean.TRUE.equals(in.spec().getForecastAlert()) || status.getForecast() == null) {
            return Conditions.set(status.getConditions(), BudgetConditions.FORECAST_EXCEEDS_LIMIT, false,
                    status.getForecast() == null ? Reason.NoPeriodEnd : Reason.ForecastAlertOff,
                    status.getForecast() == null ? "A Total budget has no period end to forecast."
                            : "spec.forecastAlert is false.", in.generation(), in.now());
        }
        boolean over = forecast > limit;
        return Conditions.set(status.getConditions(), BudgetConditions.FORECAST_EXCEEDS_LIMIT, over,
                over ? Reason.ForecastOverLimit : Reason.ForecastWithinLimit,
                "At " + status.getBurnRatePerHour() + currency + "/h the period ends at " + status.getForecast()
                        + currency + " against a limit of " + Money.formatCents(limit) + currency + ".",
                in.generation(), in.now());
    }

    private static List<io.fabric8.kubernetes.api.model.Condition> pricesKnown(ExperimentBudgetStatus status,
            BudgetInputs in) {
        if (in.priceProblem() != null) {
            return Conditions.set(status.getConditions(), BudgetConditions.PRICES_KNOWN, false, Reason.PriceCatalogInvalid,
                    in.priceProblem(), in.generation(), in.now());
        }
        if (in.unpricedPods() > 0) {
            return Conditions.set(status.getConditions(), BudgetConditions.PRICES_KNOWN, false, Reason.UnknownPrice,
                    in.unpricedPods() + " GPU pods run on nodes without a known price (" + String.join(", ",
                            in.unpricedInstanceTypes()) + "); their cost is NOT counted. Add the instance types to "
                            + "the price ConfigMap or to the GpuPool's spec.pricing.", in.generation(), in.now());
        }
        return Conditions.set(status.getConditions(), BudgetConditions.PRICES_KNOWN, true, Reason.AllPricesKnown,
                "Every selected GPU pod runs on a priced node.", in.generation(), in.now());
    }

    private static Ledger ledger(LedgerState state) {
        Ledger ledger = new Ledger();
        ledger.setSpentMicros(state.spentMicros());
        ledger.setGpuMicroHours(state.gpuMicroHours());
        ledger.setAccruedUntil(state.accruedUntil().toString());
        return ledger;
    }

    static int percent(long spent, long limit) {
        if (limit == 0) {
            return spent > 0 ? 100 : 0;
        }
        return (int) Math.min(Integer.MAX_VALUE, BigDecimal.valueOf(spent).multiply(BigDecimal.valueOf(100))
                .divide(BigDecimal.valueOf(limit), 0, RoundingMode.FLOOR).longValue());
    }

    static long burnRate(List<PodCharge> charges, Instant now) {
        long perHour = 0;
        for (PodCharge charge : charges) {
            if (charge.runningAt(now)) {
                perHour = Math.addExact(perHour, charge.cost().perHour());
            }
        }
        return perHour;
    }

    /** Spend at period end if the current burn rate holds; none for a Total budget, which has no end. */
    static Long forecast(LedgerState ledger, long burnPerHour, Instant now) {
        BudgetWindow window = ledger.window();
        if (window.end() == null) {
            return null;
        }
        long millisLeft = Math.max(0, Duration.between(now, window.end()).toMillis());
        long more = BigDecimal.valueOf(burnPerHour).multiply(BigDecimal.valueOf(millisLeft))
                .divide(BigDecimal.valueOf(3_600_000L), 0, RoundingMode.FLOOR).longValueExact();
        return Math.addExact(ledger.spentMicros(), more);
    }

    private static List<WorkloadCost> workloads(LedgerState ledger, List<PodCharge> charges, Instant now) {
        Map<WorkloadKey, long[]> running = new HashMap<>();
        for (PodCharge charge : charges) {
            if (charge.runningAt(now)) {
                long[] totals = running.computeIfAbsent(charge.workload(), k -> new long[2]);
                totals[0] = Math.addExact(totals[0], charge.cost().perHour());
                totals[1] = Math.addExact(totals[1], charge.gpus().perHour());
            }
        }
        Map<WorkloadKey, Long> spent = new HashMap<>(ledger.workloadMicros());
        running.keySet().forEach(key -> spent.putIfAbsent(key, 0L));
        return spent.entrySet().stream()
                .sorted(Map.Entry.<WorkloadKey, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .limit(TOP_WORKLOADS)
                .map(entry -> {
                    long[] current = running.getOrDefault(entry.getKey(), new long[2]);
                    WorkloadCost cost = new WorkloadCost();
                    cost.setKind(entry.getKey().kind());
                    cost.setName(entry.getKey().name());
                    cost.setGpus(BigDecimal.valueOf(current[1]).movePointLeft(6).setScale(2, RoundingMode.HALF_UP)
                            .stripTrailingZeros().toPlainString());
                    cost.setCostPerHour(Money.formatCents(current[0]));
                    cost.setSpent(Money.formatCents(entry.getValue()));
                    cost.setSpentMicros(entry.getValue());
                    return cost;
                })
                .toList();
    }

    private static List<PeriodTotal> history(List<PeriodTotal> stored, List<dev.finops.operator.cost.PeriodTotal> closed) {
        if (closed.isEmpty()) {
            return stored;
        }
        List<PeriodTotal> history = new ArrayList<>();
        closed.stream().sorted(Comparator.comparing((dev.finops.operator.cost.PeriodTotal p) -> p.window().start())
                .reversed()).forEach(period -> {
                    PeriodTotal total = new PeriodTotal();
                    total.setPeriodStart(period.window().start().toString());
                    total.setPeriodEnd(period.window().end().toString());
                    total.setSpentMicros(period.spentMicros());
                    total.setSpent(Money.formatCents(period.spentMicros()));
                    history.add(total);
                });
        if (stored != null) {
            history.addAll(stored);
        }
        return List.copyOf(history.subList(0, Math.min(HISTORY, history.size())));
    }

    private static BudgetPhase phase(BudgetInputs in, long spent, long limit) {
        int percent = percent(spent, limit);
        if (percent >= 100) {
            return BudgetPhase.Exceeded;
        }
        List<Integer> alerts = in.spec().getAlerts() == null ? List.of() : in.spec().getAlerts();
        boolean alerted = alerts.stream().anyMatch(threshold -> threshold < 100 && percent >= threshold);
        return alerted ? BudgetPhase.Warning : BudgetPhase.Active;
    }
}
