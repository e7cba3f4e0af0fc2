package dev.finops.operator.budget;

import static org.assertj.core.api.Assertions.assertThat;

import dev.finops.operator.api.BudgetPeriod;
import dev.finops.operator.api.ExperimentBudgetSpec;
import dev.finops.operator.api.ExperimentBudgetStatus;
import dev.finops.operator.api.Ledger;
import dev.finops.operator.api.SuspendedWorkload;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Garbage times in a stored status are missing, repaired and reported, never an exception. */
class BudgetStatusRepairTest {

    private static final Instant CREATED = Instant.parse("2026-11-20T08:00:00Z");

    @Test
    void garbagePeriodBoundsComeBackFromTheWatermarkAndOtherTimesAreDropped() {
        ExperimentBudgetStatus status = new ExperimentBudgetStatus();
        status.setPeriodStart("yesterday");
        status.setPeriodEnd("2027-01-01T00:00:00Z");
        Ledger ledger = new Ledger();
        ledger.setAccruedUntil("2026-12-04T11:59:00Z");
        ledger.setSpentMicros(42_000_000L);
        status.setLedger(ledger);
        SuspendedWorkload entry = new SuspendedWorkload();
        entry.setName("trainer");
        entry.setSince("soon");
        status.setSuspended(List.of(entry));
        status.setConditions(List.of(new ConditionBuilder().withType("BudgetExceeded").withStatus("True")
                .withLastTransitionTime("not-a-time").build()));

        List<String> repaired = BudgetStatusRepair.repair(status, monthly(), CREATED);

        assertThat(repaired).containsExactly(
                "status.periodStart/periodEnd (yesterday, 2027-01-01T00:00:00Z): taken again from the watermark's period",
                "status.suspended[trainer].since (soon)",
                "status.conditions[BudgetExceeded].lastTransitionTime (not-a-time)");
        assertThat(status.getPeriodStart()).isEqualTo("2026-12-01T00:00:00Z");
        assertThat(status.getPeriodEnd()).isEqualTo("2027-01-01T00:00:00Z");
        assertThat(status.getLedger().getSpentMicros()).isEqualTo(42_000_000L);
        assertThat(entry.getSince()).isNull();
        assertThat(status.getConditions().get(0).getLastTransitionTime()).isNull();
    }

    @Test
    void aGarbageWatermarkRestartsTheLedgerFromCreationAndSaysSo() {
        ExperimentBudgetStatus status = new ExperimentBudgetStatus();
        status.setPeriodStart("2026-12-01T00:00:00Z");
        Ledger ledger = new Ledger();
        ledger.setAccruedUntil("12:00");
        ledger.setSpentMicros(7L);
        status.setLedger(ledger);

        List<String> repaired = BudgetStatusRepair.repair(status, monthly(), CREATED);

        assertThat(repaired).containsExactly(
                "status.ledger.accruedUntil (12:00): the ledger restarts from the budget's creation");
        assertThat(status.getLedger()).isNull();
    }

    @Test
    void aStatusWhoseTimesParseIsLeftAsItIs() {
        ExperimentBudgetStatus status = new ExperimentBudgetStatus();
        status.setPeriodStart("2026-12-01T00:00:00Z");

        assertThat(BudgetStatusRepair.repair(status, monthly(), CREATED)).isEmpty();
        assertThat(status.getPeriodStart()).isEqualTo("2026-12-01T00:00:00Z");
    }

    private static ExperimentBudgetSpec monthly() {
        ExperimentBudgetSpec spec = new ExperimentBudgetSpec();
        spec.setPeriod(BudgetPeriod.Monthly);
        return spec;
    }
}
