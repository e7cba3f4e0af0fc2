package dev.finops.operator.cost;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.finops.operator.api.BudgetPeriod;
import dev.finops.operator.model.GpuShare;
import dev.finops.operator.model.WorkloadKey;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BudgetLedgerTest {

    private static final ZoneId PARIS = ZoneId.of("Europe/Paris");
    private static final Instant CREATED = Instant.parse("2026-10-24T20:00:00Z");
    private static final PeriodCalendar DAILY = new PeriodCalendar(BudgetPeriod.Daily, PARIS, CREATED);
    /** 36/h exactly: 10,000 micros a second. */
    private static final HourlyRate RATE = HourlyRate.of(36_000_000, GpuShare.WHOLE);
    private static final WorkloadKey JOB = new WorkloadKey("Job", "sweep");
    private static final PeriodCalendar TOTAL_FROM_CREATION = new PeriodCalendar(BudgetPeriod.Total, PARIS, CREATED);

    @Test
    void periodBoundariesSplitTheIntervalAcrossADstChange() {
        PodCharge pod = new PodCharge(JOB, CREATED, null, RATE, HourlyRate.ZERO);
        LedgerState start = LedgerState.start(DAILY.windowAt(CREATED), CREATED);
        Instant now = Instant.parse("2026-10-26T00:00:00Z");

        BudgetLedger.Advance advance = BudgetLedger.advance(start, List.of(pod), now, DAILY);

        // 24 Oct 20:00Z -> 22:00Z (local midnight): 2h; 25 Oct has 25 hours; 26 Oct 23:00Z -> 00:00Z: 1h
        assertThat(advance.closedPeriods()).extracting(PeriodTotal::spentMicros)
                .containsExactly(72_000_000L, 900_000_000L);
        assertThat(advance.state().spentMicros()).isEqualTo(36_000_000L);
        assertThat(advance.state().window().start()).isEqualTo(Instant.parse("2026-10-25T23:00:00Z"));
        assertThat(advance.state().accruedUntil()).isEqualTo(now);
        assertThat(advance.state().workloadMicros()).isEqualTo(Map.of(JOB, 36_000_000L));
    }

    @Test
    void advancingInManyPassesEqualsOnePass() {
        PodCharge early = new PodCharge(JOB, CREATED.plusSeconds(17), CREATED.plus(Duration.ofMinutes(95)), RATE,
                HourlyRate.ZERO);
        PodCharge late = new PodCharge(new WorkloadKey("Deployment", "serve"), CREATED.plusSeconds(3_000), null,
                HourlyRate.of(1_006_000, GpuShare.WHOLE), HourlyRate.ZERO);
        List<PodCharge> pods = List.of(early, late);
        Instant end = CREATED.plus(Duration.ofHours(5));
        LedgerState once = BudgetLedger.advance(LedgerState.start(DAILY.windowAt(CREATED), CREATED), pods, end, DAILY)
                .state();

        LedgerState stepwise = LedgerState.start(DAILY.windowAt(CREATED), CREATED);
        long closedStepwise = 0;
        for (Instant t = CREATED.plusSeconds(29); t.isBefore(end); t = t.plusSeconds(29)) {
            BudgetLedger.Advance advance = BudgetLedger.advance(stepwise, pods, t, DAILY);
            closedStepwise += advance.closedPeriods().stream().mapToLong(PeriodTotal::spentMicros).sum();
            stepwise = advance.state();
        }
        BudgetLedger.Advance last = BudgetLedger.advance(stepwise, pods, end, DAILY);
        closedStepwise += last.closedPeriods().stream().mapToLong(PeriodTotal::spentMicros).sum();
        long closedOnce = BudgetLedger.advance(LedgerState.start(DAILY.windowAt(CREATED), CREATED), pods, end, DAILY)
                .closedPeriods().stream().mapToLong(PeriodTotal::spentMicros).sum();

        assertThat(last.state().spentMicros()).isEqualTo(once.spentMicros());
        assertThat(closedStepwise).isEqualTo(closedOnce);
        assertThat(last.state().workloadMicros()).isEqualTo(once.workloadMicros());
    }

    @Test
    void aPassBeforeTheWatermarkChangesNothing() {
        LedgerState state = new LedgerState(DAILY.windowAt(CREATED), CREATED.plusSeconds(60), 5, 0, Map.of());

        assertThat(BudgetLedger.advance(state, List.of(), CREATED.plusSeconds(30), DAILY).state()).isEqualTo(state);
    }

    @Test
    void aSumThatWouldNotFitInMicroUnitsThrowsInsteadOfWrapping() {
        LedgerState nearlyFull = new LedgerState(TOTAL_FROM_CREATION.windowAt(CREATED), CREATED,
                Long.MAX_VALUE - 10, 0, Map.of(JOB, Long.MAX_VALUE - 10));
        PodCharge pod = new PodCharge(JOB, CREATED, null, RATE, HourlyRate.ZERO);

        assertThatThrownBy(() -> BudgetLedger.advance(nearlyFull, List.of(pod), CREATED.plusSeconds(1),
                TOTAL_FROM_CREATION)).isInstanceOf(ArithmeticException.class);
        // two workloads each within range whose sum is not: the total overflows, not a wrapped negative
        PodCharge other = new PodCharge(new WorkloadKey("Job", "other"), CREATED, null,
                new HourlyRate(Long.MAX_VALUE / 2 + 1, 1), HourlyRate.ZERO);
        PodCharge third = new PodCharge(new WorkloadKey("Job", "third"), CREATED, null,
                new HourlyRate(Long.MAX_VALUE / 2 + 1, 1), HourlyRate.ZERO);
        assertThatThrownBy(() -> BudgetLedger.advance(LedgerState.start(TOTAL_FROM_CREATION.windowAt(CREATED), CREATED),
                List.of(other, third), CREATED.plus(Duration.ofHours(1)), TOTAL_FROM_CREATION))
                .isInstanceOf(ArithmeticException.class);
    }

    @Test
    void aTotalChangedToMonthlyEndsAtTheNextMonthlyBoundaryThenCountsMonthly() {
        PeriodCalendar monthly = new PeriodCalendar(BudgetPeriod.Monthly, ZoneId.of("UTC"), CREATED);
        PodCharge pod = new PodCharge(JOB, CREATED, null, RATE, HourlyRate.ZERO);
        // the stored ledger of a Total budget, counted up to 30 Oct
        Instant watermark = Instant.parse("2026-10-30T00:00:00Z");
        LedgerState total = BudgetLedger.advance(LedgerState.start(TOTAL_FROM_CREATION.windowAt(CREATED), CREATED),
                List.of(pod), watermark, TOTAL_FROM_CREATION).state();

        BudgetLedger.Advance stillOctober = BudgetLedger.advance(total, List.of(pod),
                Instant.parse("2026-10-31T00:00:00Z"), monthly);
        assertThat(stillOctober.closedPeriods()).isEmpty();
        assertThat(stillOctober.state().window()).as("the Total keeps its start, and now ends at the boundary")
                .isEqualTo(new BudgetWindow(CREATED, Instant.parse("2026-11-01T00:00:00Z")));

        BudgetLedger.Advance november = BudgetLedger.advance(stillOctober.state(), List.of(pod),
                Instant.parse("2026-11-01T01:00:00Z"), monthly);
        // 24 Oct 20:00 -> 1 Nov 00:00 = 172 h at 36/h, then 1 h of November
        assertThat(november.closedPeriods()).containsExactly(new PeriodTotal(
                new BudgetWindow(CREATED, Instant.parse("2026-11-01T00:00:00Z")), 172 * 36_000_000L));
        assertThat(november.state().window()).isEqualTo(new BudgetWindow(Instant.parse("2026-11-01T00:00:00Z"),
                Instant.parse("2026-12-01T00:00:00Z")));
        assertThat(november.state().spentMicros()).isEqualTo(36_000_000L);
    }

    @Test
    void aDailyBudgetChangedToTotalOrMonthlyKeepsTodayAndSwitchesAtMidnightFromThatBoundary() {
        PodCharge pod = new PodCharge(JOB, CREATED, null, RATE, HourlyRate.ZERO);
        Instant noon = Instant.parse("2026-10-27T11:00:00Z");
        LedgerState daily = BudgetLedger.advance(LedgerState.start(DAILY.windowAt(CREATED), CREATED), List.of(pod),
                noon, DAILY).state();
        Instant midnight = Instant.parse("2026-10-27T23:00:00Z"); // 28 Oct 00:00 in Paris (CET)
        Instant after = midnight.plus(Duration.ofHours(2));

        BudgetLedger.Advance total = BudgetLedger.advance(daily, List.of(pod), after,
                new PeriodCalendar(BudgetPeriod.Total, PARIS, CREATED));
        assertThat(total.closedPeriods()).extracting(PeriodTotal::window)
                .containsExactly(new BudgetWindow(Instant.parse("2026-10-26T23:00:00Z"), midnight));
        assertThat(total.state().window()).as("a Total from the boundary, not from the budget's creation")
                .isEqualTo(new BudgetWindow(midnight, null));
        assertThat(total.state().spentMicros()).isEqualTo(72_000_000L);

        BudgetLedger.Advance monthly = BudgetLedger.advance(daily, List.of(pod), after,
                new PeriodCalendar(BudgetPeriod.Monthly, PARIS, CREATED));
        assertThat(monthly.state().window()).as("the month's remainder, from the boundary")
                .isEqualTo(new BudgetWindow(midnight, Instant.parse("2026-10-31T23:00:00Z")));
        assertThat(monthly.state().spentMicros()).isEqualTo(72_000_000L);
    }
}
