package dev.finops.operator.cost;

import dev.finops.operator.model.GpuShare;
import java.math.BigInteger;

/**
 * An exact rate per hour (micro-units of money, or micro-GPUs for GPU hours) as numerator / denominator, and
 * what it amounts to over a duration, rounded down to whole micro-units.
 *
 * <p>Costs are always taken as differences of {@link #cumulative} from one fixed anchor (the pod's start), so
 * that any split of an interval into passes sums to exactly what the whole interval costs: nothing is lost
 * to rounding, nothing counted twice.
 */
public record HourlyRate(long numerator, long denominator) {

    private static final long MILLIS_PER_HOUR = 3_600_000L;
    public static final HourlyRate ZERO = new HourlyRate(0, 1);

    public static HourlyRate of(long microsPerHour, GpuShare share) {
        return new HourlyRate(Math.multiplyExact(microsPerHour, share.numerator()), share.denominator());
    }

    /** floor(rate x millis / 1h), computed without overflow for any realistic price and duration. */
    public long cumulative(long millis) {
        if (numerator == 0 || millis <= 0) {
            return 0;
        }
        long divisor = Math.multiplyExact(denominator, MILLIS_PER_HOUR);
        long whole = millis / divisor;
        long rest = millis % divisor;
        try {
            return Math.addExact(Math.multiplyExact(numerator, whole), Math.multiplyExact(numerator, rest) / divisor);
        } catch (ArithmeticException overflow) {
            return BigInteger.valueOf(numerator).multiply(BigInteger.valueOf(millis))
                    .divide(BigInteger.valueOf(divisor)).longValueExact();
        }
    }

    /** The rate itself in whole micro-units per hour, rounded down (for display and forecasts). */
    public long perHour() {
        return numerator / denominator;
    }

    public boolean isZero() {
        return numerator == 0;
    }
}
