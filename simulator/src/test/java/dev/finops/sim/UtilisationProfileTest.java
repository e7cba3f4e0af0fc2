package dev.finops.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class UtilisationProfileTest {

    private static final Instant T0 = Instant.parse("2025-11-29T10:00:00Z");

    @Test
    void constantAndIdleAreTheSameEverywhere() {
        assertThat(UtilisationProfile.constant(0.85).at(T0, 1)).isEqualTo(0.85);
        assertThat(UtilisationProfile.constant(0.85).at(T0.plusSeconds(3600), 99)).isEqualTo(0.85);
        assertThat(UtilisationProfile.idle().at(T0, 7)).isEqualTo(0.01);
        assertThatThrownBy(() -> UtilisationProfile.constant(1.5)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void noisyStaysWithinItsBandAndAveragesToItsMean() {
        UtilisationProfile busy = UtilisationProfile.busy();
        double[] values = IntStream.range(0, 2000)
                .mapToDouble(i -> busy.at(T0.plusSeconds(5L * i), 42)).toArray();

        assertThat(Arrays.stream(values).min().orElseThrow()).isGreaterThanOrEqualTo(0.80);
        assertThat(Arrays.stream(values).max().orElseThrow()).isLessThanOrEqualTo(0.90);
        assertThat(Arrays.stream(values).average().orElseThrow()).isCloseTo(0.85, within(0.01));
        assertThat(Arrays.stream(values).distinct().count()).isGreaterThan(1000);
    }

    @Test
    void noisyIsDeterministicPerSeriesAndStepButDiffersBetweenSeries() {
        UtilisationProfile noisy = UtilisationProfile.noisy(0.5, 0.4);

        assertThat(noisy.at(T0, 1)).isEqualTo(noisy.at(T0, 1));
        // same 5 s step: same value; next step: a new one
        assertThat(noisy.at(T0.plusSeconds(4), 1)).isEqualTo(noisy.at(T0, 1));
        assertThat(noisy.at(T0.plusSeconds(5), 1)).isNotEqualTo(noisy.at(T0, 1));
        assertThat(noisy.at(T0, 2)).isNotEqualTo(noisy.at(T0, 1));
    }

    @Test
    void noisyIsClampedToZeroAndOne() {
        UtilisationProfile wide = UtilisationProfile.noisy(0.95, 0.5);
        double[] values = IntStream.range(0, 500).mapToDouble(i -> wide.at(T0.plusSeconds(5L * i), 3)).toArray();
        assertThat(Arrays.stream(values).min().orElseThrow()).isGreaterThanOrEqualTo(0.0);
        assertThat(Arrays.stream(values).max().orElseThrow()).isEqualTo(1.0);
    }

    @Test
    void switchTurnsBusyAtItsInstant() {
        Instant t = T0.plus(Duration.ofMinutes(3));
        UtilisationProfile evalService = UtilisationProfile.switchesAt(t, UtilisationProfile.idle(),
                UtilisationProfile.constant(0.8));

        assertThat(evalService.at(T0, 1)).isEqualTo(0.01);
        assertThat(evalService.at(t.minusMillis(1), 1)).isEqualTo(0.01);
        assertThat(evalService.at(t, 1)).isEqualTo(0.8);
        assertThat(evalService.describe()).isEqualTo("1% until 2025-11-29T10:03:00Z, then 80%");
    }

    @Test
    void modelFallsBackForUnknownWorkloadsAndFollowsChanges() {
        UtilisationModel model = new UtilisationModel(UtilisationProfile.constant(0.5));
        GpuHolder holder = new GpuHolder("ns", "p", "c", new WorkloadKey("ns", "w"));

        assertThat(model.utilisation(holder, 0, T0)).isEqualTo(0.5);
        model.set("ns", "w", UtilisationProfile.constant(0.9));
        assertThat(model.utilisation(holder, 0, T0)).isEqualTo(0.9);
    }
}
