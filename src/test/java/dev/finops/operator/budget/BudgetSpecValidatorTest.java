package dev.finops.operator.budget;

import static org.assertj.core.api.Assertions.assertThat;

import dev.finops.operator.Samples;
import dev.finops.operator.api.ExperimentBudget;
import dev.finops.operator.api.ExperimentBudgetSpec;
import dev.finops.operator.validation.Violation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BudgetSpecValidatorTest {

    @Test
    void everySampleIsValid() {
        assertThat(Samples.load(ExperimentBudget.class))
                .isNotEmpty()
                .allSatisfy(budget -> assertThat(BudgetSpecValidator.validate(budget.getSpec())).isEmpty());
    }

    @ParameterizedTest
    @ValueSource(strings = {"Mars/Olympus_Mons", "+02:00", "GMT+2", "", "europe/paris"})
    void rejectsWhatIsNotAnIanaZone(String zone) {
        ExperimentBudgetSpec spec = sample();
        spec.setTimeZone(zone);

        assertThat(BudgetSpecValidator.validate(spec)).containsExactly(new Violation("spec.timeZone",
                "\"" + zone + "\" is not an IANA time zone; write e.g. UTC or Europe/Paris"));
    }

    @Test
    void rejectsABadGracePeriod() {
        ExperimentBudgetSpec spec = sample();
        spec.getEnforcement().setGracePeriod("15 minutes");

        assertThat(BudgetSpecValidator.validate(spec)).extracting(Violation::field)
                .containsExactly("spec.enforcement.gracePeriod");
    }

    @Test
    void rejectsAMissingSpec() {
        assertThat(BudgetSpecValidator.validate(null)).containsExactly(new Violation("spec", "is required"));
    }

    @Test
    void reportsEveryViolationAtOnce() {
        ExperimentBudgetSpec spec = sample();
        spec.setTimeZone("Nowhere");
        spec.getEnforcement().setGracePeriod("soon");
        spec.getSelector().getMatchLabels().put("bad key", "x");

        assertThat(BudgetSpecValidator.validate(spec)).extracting(Violation::field)
                .containsExactly("spec.selector.matchLabels", "spec.timeZone", "spec.enforcement.gracePeriod");
    }

    private static ExperimentBudgetSpec sample() {
        return Samples.named(ExperimentBudget.class, "llm-sweep-42").getSpec();
    }
}
