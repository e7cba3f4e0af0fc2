package dev.finops.operator.budget;

import static org.assertj.core.api.Assertions.assertThat;

import dev.finops.operator.StatusConditions;
import dev.finops.operator.api.BudgetPhase;
import dev.finops.operator.api.ExperimentBudgetSpec;
import dev.finops.operator.api.ExperimentBudgetStatus;
import dev.finops.operator.cost.HourlyRate;
import dev.finops.operator.cost.PodCharge;
import dev.finops.operator.model.GpuShare;
import dev.finops.operator.model.WorkloadKey;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.IntOrString;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** A budget's cost status when its ledger is lost or cannot advance: never silent, never wrapped. */
class BudgetCostStatusTest {

    private static final Instant CREATED = Instant.parse("2026-11-02T10:00:00Z");
    /** 36/h exactly: 10,000 micros a second. */
    private static final HourlyRate RATE = HourlyRate.of(36_000_000, GpuShare.WHOLE);
    private static final PodCharge POD = new PodCharge(new WorkloadKey("Job", "sweep"), CREATED, null, RATE,
            HourlyRate.ZERO);

    private static BudgetInputs inputs(Instant now, List<PodCharge> charges) {
        ExperimentBudgetSpec spec = new ExperimentBudgetSpec();
        spec.setLimit(new IntOrString("1000"));
        return new BudgetInputs(spec, CREATED, 1L, charges, 0, Set.of(), null, now, now);
    }

    private static Condition accruing(ExperimentBudgetStatus status) {
        return StatusConditions.required(status.getConditions(), BudgetConditions.ACCRUING);
    }

    @Test
    void aLedgerClearedFromAnExistingStatusRestartsFromCreationAndSaysSoUntilThePeriodEnds() {
        ExperimentBudgetStatus status = new ExperimentBudgetStatus();
        BudgetCostStatus.apply(status, inputs(CREATED.plusSeconds(5), List.of(POD)));
        BudgetCostStatus.apply(status, inputs(CREATED.plus(Duration.ofHours(1)), List.of(POD)));
        assertThat(accruing(status).getReason()).isEqualTo("Accruing");
        status.setLedger(null); // someone with status rights clears it

        Instant now = CREATED.plus(Duration.ofHours(2));
        BudgetCostStatus.apply(status, inputs(now, List.of(POD)));

        assertThat(status.getLedger().getSpentMicros()).as("2 h from the creation at 36/h").isEqualTo(72_000_000L);
        assertThat(status.getLedger().getAccruedUntil()).isEqualTo(now.toString());
        Condition restarted = accruing(status);
        assertThat(restarted.getStatus()).isEqualTo("True");
        assertThat(restarted.getReason()).isEqualTo("LedgerRestarted");
        assertThat(restarted.getMessage()).isEqualTo("status.ledger was missing although the budget was created at "
                + "2026-11-02T10:00:00Z (its status was cleared, or never written while the operator was away): "
                + "accrual restarted at 2026-11-02T12:00:00Z from the creation, counting again every pod still known; "
                + "pods deleted more than an hour before are not counted, so this period's spend may be too low.");

        BudgetCostStatus.apply(status, inputs(now.plus(Duration.ofHours(1)), List.of(POD)));
        assertThat(accruing(status).getReason()).as("kept for the rest of the period").isEqualTo("LedgerRestarted");
        assertThat(accruing(status).getMessage()).isEqualTo(restarted.getMessage());

        BudgetCostStatus.apply(status, inputs(Instant.parse("2026-12-01T00:00:01Z"), List.of(POD)));
        assertThat(accruing(status).getReason()).as("a new period").isEqualTo("Accruing");
    }

    @Test
    void aWipedStatusOfAnOldBudgetIsARestartButANewOrInvalidBudgetsFirstLedgerIsNot() {
        ExperimentBudgetStatus wiped = new ExperimentBudgetStatus();
        BudgetCostStatus.apply(wiped, inputs(CREATED.plus(BudgetLedgerCodec.FIRST_WRITE_GRACE).plusSeconds(1),
                List.of(POD)));
        assertThat(accruing(wiped).getReason()).isEqualTo("LedgerRestarted");

        ExperimentBudgetStatus fresh = new ExperimentBudgetStatus();
        BudgetCostStatus.apply(fresh, inputs(CREATED.plusSeconds(5), List.of(POD)));
        assertThat(accruing(fresh).getReason()).isEqualTo("Accruing");

        ExperimentBudgetStatus invalidUntilNow = new ExperimentBudgetStatus();
        invalidUntilNow.setPhase(BudgetPhase.Invalid);
        BudgetCostStatus.apply(invalidUntilNow, inputs(CREATED.plus(Duration.ofDays(3)), List.of(POD)));
        assertThat(accruing(invalidUntilNow).getReason()).isEqualTo("Accruing");
    }

    @Test
    void anAccrualThatWouldOverflowKeepsTheStoredLedgerAndTurnsAccruingFalse() {
        ExperimentBudgetStatus status = new ExperimentBudgetStatus();
        Instant first = CREATED.plus(Duration.ofHours(1));
        BudgetCostStatus.apply(status, inputs(CREATED.plusSeconds(5), List.of(POD)));
        BudgetCostStatus.apply(status, inputs(first, List.of(POD)));
        PodCharge absurd = new PodCharge(new WorkloadKey("Job", "absurd"), CREATED, null,
                new HourlyRate(Long.MAX_VALUE / 2, 1), HourlyRate.ZERO);

        BudgetCostStatus.Figures figures = BudgetCostStatus.apply(status,
                inputs(first.plus(Duration.ofHours(3)), List.of(POD, absurd)));

        assertThat(status.getLedger().getSpentMicros()).isEqualTo(36_000_000L);
        assertThat(status.getLedger().getAccruedUntil()).isEqualTo(first.toString());
        assertThat(figures.alerts()).isEmpty();
        Condition overflow = accruing(status);
        assertThat(overflow.getStatus()).isEqualTo("False");
        assertThat(overflow.getReason()).isEqualTo("Overflow");
        assertThat(overflow.getMessage()).isEqualTo("The cost after 2026-11-02T11:00:00Z would take a sum past "
                + "9223372036854.775807 USD, the most the ledger holds: it stays at 36 USD counted up to "
                + "2026-11-02T11:00:00Z, never wrapped. A price is likely wrong: check the price ConfigMap and the "
                + "GpuPools' spec.pricing.");
    }
}
