package dev.finops.operator.cost;

import static org.assertj.core.api.Assertions.assertThat;

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
}
