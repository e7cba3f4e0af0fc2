package dev.finops.operator.budget;

import static org.assertj.core.api.Assertions.assertThat;

import dev.finops.operator.api.Enforcement;
import dev.finops.operator.api.EnforcementAction;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class EnforcementDecisionTest {

    private static final Instant EXCEEDED = Instant.parse("2026-11-20T10:00:00Z");

    private static Enforcement suspend(String grace) {
        Enforcement enforcement = new Enforcement();
        enforcement.setAction(EnforcementAction.Suspend);
        enforcement.setGracePeriod(grace);
        return enforcement;
    }

    @Test
    void suspendsOnceTheGracePeriodHasPassed() {
        assertThat(EnforcementDecision.decide(suspend("15m"), EXCEEDED, EXCEEDED.plusSeconds(899), false))
                .isEqualTo(EnforcementDecision.HOLD);
        assertThat(EnforcementDecision.decide(suspend("15m"), EXCEEDED, EXCEEDED.plusSeconds(900), false))
                .isEqualTo(EnforcementDecision.ENFORCE);
        assertThat(EnforcementDecision.decide(suspend("0s"), EXCEEDED, EXCEEDED, false))
                .isEqualTo(EnforcementDecision.ENFORCE);
    }

    @Test
    void restoresUnderTheLimitOnRequestOrWithoutSuspend() {
        assertThat(EnforcementDecision.decide(suspend("0s"), null, EXCEEDED, false))
                .isEqualTo(EnforcementDecision.RESTORE);
        assertThat(EnforcementDecision.decide(suspend("0s"), EXCEEDED, EXCEEDED.plusSeconds(60), true))
                .isEqualTo(EnforcementDecision.RESTORE);
        assertThat(EnforcementDecision.decide(new Enforcement(), EXCEEDED, EXCEEDED.plusSeconds(60), false))
                .isEqualTo(EnforcementDecision.RESTORE);
    }
}
