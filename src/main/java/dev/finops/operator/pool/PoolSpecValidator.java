package dev.finops.operator.pool;

import dev.finops.operator.api.GpuPoolSpec;
import dev.finops.operator.api.Pricing;
import dev.finops.operator.api.ScaleTargetReference;
import dev.finops.operator.api.ScaleTargets;
import dev.finops.operator.model.LabelSelectorMatcher;
import dev.finops.operator.model.Money;
import dev.finops.operator.validation.GoDuration;
import dev.finops.operator.validation.Violation;
import dev.finops.operator.validation.Violations;
import java.time.Duration;
import java.util.List;

/** What the CRD schema cannot check in a GpuPool spec. Pure. */
public final class PoolSpecValidator {

    /** Below one scrape-and-evaluate cycle an idle verdict would rest on a sample or two. */
    static final Duration MIN_IDLE_WINDOW = Duration.ofMinutes(1);

    private PoolSpecValidator() {
    }

    public static List<Violation> validate(GpuPoolSpec spec) {
        Violations violations = new Violations();
        if (spec == null) {
            violations.add("spec", "is required");
            return violations.list();
        }
        violations.check("spec.nodeSelector",
                () -> LabelSelectorMatcher.compile("spec.nodeSelector", spec.getNodeSelector()));
        if (spec.getCapacity() != null && spec.getCapacity().getSpotFallback() != null) {
            violations.check("spec.capacity.spotFallback.cooldown",
                    () -> GoDuration.parse(spec.getCapacity().getSpotFallback().getCooldown()));
        }
        if (spec.getIdle() != null) {
            violations.check("spec.idle.exemptSelector",
                    () -> LabelSelectorMatcher.compile("spec.idle.exemptSelector", spec.getIdle().getExemptSelector()));
            violations.check("spec.idle.window", () -> checkIdleWindow(GoDuration.parse(spec.getIdle().getWindow())));
        }
        checkPricing(violations, spec.getPricing());
        if (spec.getProvider() != null && spec.getProvider().getScaleTargets() != null) {
            ScaleTargets targets = spec.getProvider().getScaleTargets();
            checkTarget(violations, "spec.provider.scaleTargets.spot", targets.getSpot());
            checkTarget(violations, "spec.provider.scaleTargets.onDemand", targets.getOnDemand());
        }
        return violations.list();
    }

    private static void checkIdleWindow(Duration window) {
        if (window.compareTo(MIN_IDLE_WINDOW) < 0) {
            throw new IllegalArgumentException("must be at least 1m, so that idleness rests on enough samples");
        }
    }

    private static void checkPricing(Violations violations, Pricing pricing) {
        if (pricing == null) {
            return;
        }
        checkPrice(violations, "spec.pricing.onDemandPerHour", pricing.getOnDemandPerHour());
        checkPrice(violations, "spec.pricing.spotPerHour", pricing.getSpotPerHour());
        checkPrice(violations, "spec.pricing.reservedPerHour", pricing.getReservedPerHour());
    }

    private static void checkPrice(Violations violations, String field, String price) {
        if (price != null) {
            violations.check(field, () -> Money.parseMicros(price));
        }
    }

    private static void checkTarget(Violations violations, String field, ScaleTargetReference target) {
        if (target == null) {
            return;
        }
        String apiVersion = target.getApiVersion();
        if (apiVersion == null || apiVersion.chars().filter(c -> c == '/').count() > 1 || apiVersion.endsWith("/")
                || apiVersion.startsWith("/")) {
            violations.add(field + ".apiVersion", "\"" + apiVersion + "\" is not an API version; write e.g. "
                    + "cluster.x-k8s.io/v1beta1");
        }
    }
}
