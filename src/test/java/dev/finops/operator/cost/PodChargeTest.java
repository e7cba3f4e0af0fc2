package dev.finops.operator.cost;

import static org.assertj.core.api.Assertions.assertThat;

import dev.finops.operator.model.GpuShare;
import dev.finops.operator.model.WorkloadKey;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Accrual over a window: rate x overlap of the pod's running interval with [from, to). */
class PodChargeTest {

    private static final Instant T0 = Instant.parse("2026-11-02T10:00:00Z");
    /** p4d.24xlarge on-demand 32.7726/h, one GPU of eight: 4.096575/h. */
    private static final HourlyRate ONE_A100 = HourlyRate.of(32_772_600, new GpuShare(1, 8));

    private static PodCharge pod(Instant start, Instant end) {
        return new PodCharge(new WorkloadKey("Job", "train"), start, end, ONE_A100, HourlyRate.ZERO);
    }

    @Test
    void aPodInsideTheWindowCostsItsWholeRun() {
        PodCharge pod = pod(T0.plusSeconds(600), T0.plusSeconds(600 + 3600));

        assertThat(pod.costBetween(T0, T0.plus(Duration.ofHours(3)))).isEqualTo(4_096_575);
    }

    @Test
    void aPodOverlappingTheWindowCostsOnlyTheOverlap() {
        PodCharge running = pod(T0, null);

        assertThat(running.costBetween(T0.plus(Duration.ofMinutes(30)), T0.plus(Duration.ofMinutes(60))))
                .isEqualTo(2_048_288);
    }

    @Test
    void aPodOutsideTheWindowCostsNothing() {
        PodCharge finished = pod(T0, T0.plusSeconds(60));

        assertThat(finished.costBetween(T0.plusSeconds(60), T0.plusSeconds(600))).isZero();
        assertThat(pod(T0.plusSeconds(700), null).costBetween(T0, T0.plusSeconds(600))).isZero();
    }

    @Test
    void aShortPodBetweenTwoPassesStillCounts() {
        PodCharge blip = pod(T0.plusSeconds(5), T0.plusSeconds(25));

        assertThat(blip.costBetween(T0, T0.plusSeconds(30))).isEqualTo(22_758);
    }

    @Test
    void tenThousandTinyAccrualsSumExactlyToTheWhole() {
        PodCharge running = pod(T0, null);
        Instant end = T0.plus(Duration.ofHours(7)).plusMillis(123);
        long whole = running.costBetween(T0, end);

        long sum = 0;
        long step = Duration.between(T0, end).toMillis() / 10_000 - 6;
        Instant from = T0;
        for (int i = 0; i < 10_000; i++) {
            Instant to = i == 9_999 ? end : from.plusMillis(step + (i % 7));
            assertThat(to).isAfter(from);
            sum += running.costBetween(from, to);
            from = i == 9_999 ? from : to;
        }

        assertThat(from).isBefore(end);
        assertThat(sum).isEqualTo(whole).isEqualTo(28_676_164);
    }

    @Test
    void hugeRatesAndDurationsDoNotOverflow() {
        HourlyRate rate = HourlyRate.of(1_000_000_000_000L, new GpuShare(7, 9));

        assertThat(rate.cumulative(Duration.ofDays(3650).toMillis()))
                .isEqualTo(new java.math.BigInteger("1000000000000").multiply(java.math.BigInteger.valueOf(7))
                        .multiply(java.math.BigInteger.valueOf(Duration.ofDays(3650).toMillis()))
                        .divide(java.math.BigInteger.valueOf(9L * 3_600_000L)).longValueExact());
    }
}
