package dev.finops.operator.cost;

import dev.finops.operator.model.WorkloadKey;
import java.time.Instant;

/**
 * What one pod costs: its running interval [start, end) (end null while it runs) and its hourly rates of
 * money and of GPU use, attributed to its top-level workload.
 */
public record PodCharge(WorkloadKey workload, Instant start, Instant end, HourlyRate cost, HourlyRate gpus) {

    /** The pod's accrual over [from, to): anchored at its own start so that splits sum exactly. */
    public long costBetween(Instant from, Instant to) {
        return between(cost, from, to);
    }

    public long gpuMicroHoursBetween(Instant from, Instant to) {
        return between(gpus, from, to);
    }

    public boolean runningAt(Instant instant) {
        return !start.isAfter(instant) && (end == null || end.isAfter(instant));
    }

    private long between(HourlyRate rate, Instant from, Instant to) {
        Instant a = start.isAfter(from) ? start : from;
        Instant b = end == null || end.isAfter(to) ? to : end;
        if (!b.isAfter(a)) {
            return 0;
        }
        long anchor = start.toEpochMilli();
        return rate.cumulative(b.toEpochMilli() - anchor) - rate.cumulative(a.toEpochMilli() - anchor);
    }
}
