package dev.finops.operator.model;

/** An exact fraction of a node's GPUs (numerator / denominator, reduced). */
public record GpuShare(long numerator, long denominator) {

    public static final GpuShare ZERO = new GpuShare(0, 1);
    public static final GpuShare WHOLE = new GpuShare(1, 1);

    public GpuShare {
        if (denominator <= 0 || numerator < 0) {
            throw new IllegalArgumentException("share " + numerator + "/" + denominator);
        }
    }

    public static GpuShare of(long numerator, long denominator) {
        long gcd = gcd(numerator, denominator);
        return new GpuShare(numerator / gcd, denominator / gcd);
    }

    public GpuShare plus(GpuShare other) {
        return of(Math.addExact(Math.multiplyExact(numerator, other.denominator),
                Math.multiplyExact(other.numerator, denominator)), Math.multiplyExact(denominator, other.denominator));
    }

    /** A pod cannot hold more than its node. */
    public GpuShare atMostWhole() {
        return numerator > denominator ? WHOLE : this;
    }

    public boolean isZero() {
        return numerator == 0;
    }

    public double toDouble() {
        return (double) numerator / denominator;
    }

    private static long gcd(long a, long b) {
        return b == 0 ? Math.max(a, 1) : gcd(b, a % b);
    }
}
