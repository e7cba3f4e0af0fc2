package dev.finops.operator.budget;

import dev.finops.operator.api.ExperimentBudgetSpec;
import dev.finops.operator.model.LabelSelectorMatcher;
import dev.finops.operator.model.Money;
import dev.finops.operator.validation.GoDuration;
import dev.finops.operator.validation.Violation;
import dev.finops.operator.validation.Violations;
import java.time.ZoneId;
import java.util.List;

/** What the CRD schema cannot check in an ExperimentBudget spec. Pure. */
public final class BudgetSpecValidator {

    private BudgetSpecValidator() {
    }

    public static List<Violation> validate(ExperimentBudgetSpec spec) {
        Violations violations = new Violations();
        if (spec == null) {
            violations.add("spec", "is required");
            return violations.list();
        }
        violations.check("spec.selector", () -> LabelSelectorMatcher.compile("spec.selector", spec.getSelector()));
        violations.check("spec.limit", () -> Money.parseMicros(spec.getLimit()));
        violations.check("spec.timeZone", () -> zone(spec.getTimeZone()));
        if (spec.getEnforcement() != null) {
            violations.check("spec.enforcement.gracePeriod",
                    () -> GoDuration.parse(spec.getEnforcement().getGracePeriod()));
        }
        return violations.list();
    }

    /** The IANA zone of a budget's periods. */
    public static ZoneId zone(String timeZone) {
        if (timeZone == null || !ZoneId.getAvailableZoneIds().contains(timeZone)) {
            throw new IllegalArgumentException("\"" + timeZone + "\" is not an IANA time zone; write e.g. UTC or "
                    + "Europe/Paris");
        }
        return ZoneId.of(timeZone);
    }
}
