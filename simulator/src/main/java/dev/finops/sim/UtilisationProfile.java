package dev.finops.sim;

import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Objects;

/**
 * How busy a workload keeps its GPUs over time, as a ratio 0..1 (DCGM's {@code GR_ENGINE_ACTIVE}; x100 is
 * {@code GPU_UTIL}). Profiles are pure functions of time (and a per-series seed for noise), so a test can
 * ask what any series shows at any instant, and Prometheus sees the same thing the test computed.
 */
@FunctionalInterface
public interface UtilisationProfile {

    /** The utilisation at {@code now} of the series identified by {@code seed}, in [0, 1]. */
    double at(Instant now, long seed);

    /** A short human description for event lines, e.g. {@code 85%±5%}. */
    default String describe() {
        return toString();
    }

    static UtilisationProfile constant(double ratio) {
        return new Constant(ratio);
    }

    /** What a forgotten notebook or an idle inference replica shows: about 1%. */
    static UtilisationProfile idle() {
        return constant(0.01);
    }

    /** A training job keeping its GPUs busy: 85% ± 5%. */
    static UtilisationProfile busy() {
        return noisy(0.85, 0.05);
    }

    /** {@code mean ± amplitude}, a new value every 5 seconds (one scrape interval), differing per series. */
    static UtilisationProfile noisy(double mean, double amplitude) {
        return new Noisy(mean, amplitude, Duration.ofSeconds(5));
    }

    /** {@code before} until {@code at}, then {@code after}: e.g. an idle service that turns busy at time T. */
    static UtilisationProfile switchesAt(Instant at, UtilisationProfile before, UtilisationProfile after) {
        return new Switch(at, before, after);
    }

    static double clamp(double ratio) {
        return ratio < 0 ? 0 : ratio > 1 ? 1 : ratio;
    }

    /** The same value for every series at every instant. */
    record Constant(double ratio) implements UtilisationProfile {
        public Constant {
            if (ratio < 0 || ratio > 1) {
                throw new IllegalArgumentException("utilisation is a ratio in [0, 1]: " + ratio);
            }
        }

        @Override
        public double at(Instant now, long seed) {
            return ratio;
        }

        @Override
        public String describe() {
            return percent(ratio);
        }
    }

    /**
     * Uniform noise around a mean, deterministic per (series, time step): the same scrape instant always
     * gives the same value, different GPUs of one workload differ.
     */
    record Noisy(double mean, double amplitude, Duration step) implements UtilisationProfile {
        public Noisy {
            if (mean < 0 || mean > 1 || amplitude < 0) {
                throw new IllegalArgumentException("noisy utilisation needs mean in [0, 1], amplitude >= 0");
            }
            Objects.requireNonNull(step);
        }

        @Override
        public double at(Instant now, long seed) {
            long bucket = Math.floorDiv(now.getEpochSecond(), Math.max(1, step.getSeconds()));
            double uniform = (mix(seed * 0x9E3779B97F4A7C15L + bucket) >>> 11) * 0x1.0p-53;
            return clamp(mean + amplitude * (2 * uniform - 1));
        }

        /** SplitMix64's finaliser: a cheap, well-spread hash of a long. */
        private static long mix(long z) {
            z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
            z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
            return z ^ (z >>> 31);
        }

        @Override
        public String describe() {
            return percent(mean) + "±" + percent(amplitude);
        }
    }

    /** One profile until an instant, another from then on. */
    record Switch(Instant at, UtilisationProfile before, UtilisationProfile after) implements UtilisationProfile {
        @Override
        public double at(Instant now, long seed) {
            return now.isBefore(at) ? before.at(now, seed) : after.at(now, seed);
        }

        @Override
        public String describe() {
            return before.describe() + " until " + at + ", then " + after.describe();
        }
    }

    private static String percent(double ratio) {
        return String.format(Locale.ROOT, "%.0f%%", ratio * 100);
    }
}
