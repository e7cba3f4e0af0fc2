package dev.finops.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ScenarioRunnerTest {

    private static final Instant START = Instant.parse("2025-11-29T10:00:00Z");

    @Test
    void occurrencesComeInTimeOrderThenInTheOrderStepsWereAdded() {
        Timeline timeline = new Timeline()
                .every(Duration.ofSeconds(60), Duration.ofSeconds(5), "trial", ctx -> "")
                .at(Duration.ofSeconds(65), "late", ctx -> "")
                .at(Duration.ZERO, "setup-a", ctx -> "")
                .at(Duration.ZERO, "setup-b", ctx -> "")
                .every(Duration.ofSeconds(30), Duration.ofSeconds(5), "poll", ctx -> "");

        List<String> order = timeline.occurrencesUntil(Duration.ofSeconds(65)).stream()
                .map(o -> o.step().name() + "#" + o.occurrence() + "@" + o.at().getSeconds()).toList();

        assertThat(order).containsExactly("setup-a#0@0", "setup-b#0@0", "trial#0@5", "poll#0@5", "poll#1@35",
                "trial#1@65", "late#0@65", "poll#2@65");
    }

    @Test
    void runnerWaitsOnTheInjectedClockAndReportsOneEventPerOccurrence() {
        ManualClock clock = new ManualClock(START);
        List<Instant> ranAt = new ArrayList<>();
        Timeline timeline = new Timeline()
                .at(Duration.ZERO, "setup", ctx -> {
                    ranAt.add(clock.instant());
                    return "nodes created";
                })
                .every(Duration.ofMinutes(1), Duration.ofSeconds(5), "trial", ctx -> {
                    ranAt.add(clock.instant());
                    clock.advance(Duration.ofSeconds(2)); // the step itself takes time
                    return "started trial-" + ctx.occurrence();
                });
        List<String> printed = new ArrayList<>();

        List<ScenarioEvent> events = new ScenarioRunner(clock, clock, e -> printed.add(e.line()))
                .run(timeline, Duration.ofMinutes(2));

        assertThat(ranAt).containsExactly(START, START.plusSeconds(5), START.plusSeconds(65));
        assertThat(events).extracting(ScenarioEvent::message)
                .containsExactly("nodes created", "started trial-0", "started trial-1");
        assertThat(printed).containsExactly(
                "2025-11-29T10:00:00Z +00:00:00 setup nodes created",
                "2025-11-29T10:00:07Z +00:00:07 trial started trial-0",
                "2025-11-29T10:01:07Z +00:01:07 trial#1 started trial-1");
    }

    @Test
    void aFailingStepIsReportedAndTheScenarioGoesOn() {
        ManualClock clock = new ManualClock(START);
        Timeline timeline = new Timeline()
                .at(Duration.ofSeconds(1), "broken", ctx -> {
                    throw new IllegalStateException("API server said no");
                })
                .at(Duration.ofSeconds(2), "next", ctx -> "still running");

        List<ScenarioEvent> events = new ScenarioRunner(clock, clock, e -> { }).run(timeline, null);

        assertThat(events).extracting(ScenarioEvent::failed).containsExactly(true, false);
        assertThat(events.get(0).line()).endsWith("broken FAILED: IllegalStateException: API server said no");
    }

    @Test
    void interruptionStopsTheRunner() {
        ManualClock clock = new ManualClock(START);
        Timeline timeline = new Timeline().every(Duration.ofSeconds(1), Duration.ZERO, "tick", ctx -> "");
        Sleeper interrupted = instant -> {
            throw new InterruptedException();
        };

        List<ScenarioEvent> events = new ScenarioRunner(clock, interrupted, e -> { }).run(timeline, null);

        assertThat(events).isEmpty();
        assertThat(Thread.interrupted()).isTrue();
    }

    @Test
    void rejectsNegativeOffsetsAndEmptyPeriods() {
        assertThatThrownBy(() -> new Timeline().at(Duration.ofSeconds(-1), "x", ctx -> ""))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Timeline().every(Duration.ZERO, Duration.ZERO, "x", ctx -> ""))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void demoTimelineInterruptsASpotNodeEveryFiveMinutesAndStartsATrialEveryMinute() {
        Timeline demo = new DemoScenario(null).timeline();

        List<Timeline.Occurrence> firstTwelveMinutes = demo.occurrencesUntil(Duration.ofMinutes(12));

        assertThat(firstTwelveMinutes).filteredOn(o -> o.step().name().equals("sweep-trial")).hasSize(12);
        assertThat(firstTwelveMinutes).filteredOn(o -> o.step().name().equals("spot-interruption-notice"))
                .extracting(o -> o.at().toSeconds()).containsExactly(240L, 540L);
        assertThat(firstTwelveMinutes).filteredOn(o -> o.step().name().startsWith("spot-"))
                .extracting(o -> o.step().name())
                .containsExactly("spot-interruption-notice", "spot-reclaimed", "spot-back",
                        "spot-interruption-notice", "spot-reclaimed", "spot-back");
        assertThat(DemoScenario.interrupted(0)).isEqualTo("gpu-spot-p4d-a");
        assertThat(DemoScenario.replacement(1).instanceType()).isEqualTo(GpuInstanceType.G5_12XLARGE);
        assertThat(DemoScenario.replacement(1).capacityType()).isEqualTo(CapacityType.ON_DEMAND);
    }
}
