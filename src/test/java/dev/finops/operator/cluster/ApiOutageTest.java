package dev.finops.operator.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ApiOutageTest {

    private static final Instant T0 = Instant.parse("2026-12-04T12:00:00Z");
    private static final Duration SETTLE = Duration.ofSeconds(15);
    private static final Duration HOLD = Duration.ofSeconds(30);

    private final ApiOutage outage = new ApiOutage(HOLD);

    @Test
    void withoutAnOutageLedgersGoToNowMinusTheSettleDelay() {
        outage.answered(T0);
        assertThat(outage.accrueUntil(T0.plusSeconds(100), SETTLE)).isEqualTo(T0.plusSeconds(85));
        assertThat(outage.holding()).isEmpty();
    }

    @Test
    void anOutageHoldsLedgersWhereTheyCouldStandAtTheLastAnswerBeforeIt() {
        outage.answered(T0);
        outage.failed(T0.plusSeconds(20)); // the first failed call comes 20 s after the last answer
        assertThat(outage.holding()).contains(T0);
        assertThat(outage.accrueUntil(T0.plusSeconds(60), SETTLE)).isEqualTo(T0.minus(SETTLE));
        assertThat(outage.awaitingAnswer()).isTrue();
    }

    @Test
    void theHoldLastsUntilTheApiServerHasAnsweredForTheHoldTime() {
        outage.answered(T0);
        outage.failed(T0.plusSeconds(1));
        outage.answered(T0.plusSeconds(40));
        assertThat(outage.awaitingAnswer()).isFalse();
        assertThat(outage.accrueUntil(T0.plusSeconds(69), SETTLE)).as("29 s after it answered again")
                .isEqualTo(T0.minus(SETTLE));
        assertThat(outage.accrueUntil(T0.plusSeconds(70), SETTLE)).as("30 s after: caught up in one step")
                .isEqualTo(T0.plusSeconds(55));
        assertThat(outage.holding()).isEmpty();
    }

    @Test
    void aFailureDuringTheHoldContinuesTheSameOutage() {
        outage.answered(T0);
        outage.failed(T0.plusSeconds(1));
        outage.answered(T0.plusSeconds(40));
        outage.failed(T0.plusSeconds(50));
        outage.answered(T0.plusSeconds(55));
        assertThat(outage.holding()).contains(T0);
        assertThat(outage.accrueUntil(T0.plusSeconds(84), SETTLE)).isEqualTo(T0.minus(SETTLE));
        assertThat(outage.accrueUntil(T0.plusSeconds(85), SETTLE)).isEqualTo(T0.plusSeconds(70));
    }

    @Test
    void anOutageBeforeAnyAnswerHoldsFromItsFirstFailure() {
        outage.failed(T0);
        assertThat(outage.accrueUntil(T0.plusSeconds(10), SETTLE)).isEqualTo(T0.minus(SETTLE));
    }

    @Test
    void theHoldNeverMovesLedgersPastNowMinusTheSettleDelay() {
        outage.answered(T0);
        outage.failed(T0.plusSeconds(5));
        assertThat(outage.accrueUntil(T0.plusSeconds(10), SETTLE)).isEqualTo(T0.minus(Duration.ofSeconds(15)));
        assertThat(outage.accrueUntil(T0.plusSeconds(3), Duration.ofSeconds(1))).isEqualTo(T0.minus(Duration.ofSeconds(1)));
    }

    @Test
    void onlyCallsWithoutAnAnswerCountAsAnOutage() {
        assertThat(ApiReachability.unanswered(new io.fabric8.kubernetes.client.KubernetesClientException("refused")))
                .as("no HTTP status: connection refused, reset, timed out").isTrue();
        assertThat(ApiReachability.unanswered(status(500))).isTrue();
        assertThat(ApiReachability.unanswered(status(503))).isTrue();
        assertThat(ApiReachability.unanswered(status(429))).isTrue();
        assertThat(ApiReachability.unanswered(status(409))).as("a conflict is an answer").isFalse();
        assertThat(ApiReachability.unanswered(status(403))).isFalse();
        assertThat(ApiReachability.unanswered(status(422))).isFalse();
        assertThat(ApiReachability.unanswered(new io.fabric8.kubernetes.client.WatcherException("gone", status(410))))
                .as("a watch the server closed (410 Gone) is an answer").isFalse();
        assertThat(ApiReachability.unanswered(new IllegalStateException(new java.net.ConnectException("refused"))))
                .isTrue();
        assertThat(ApiReachability.unanswered(new IllegalArgumentException("malformed"))).isFalse();
    }

    private static io.fabric8.kubernetes.client.KubernetesClientException status(int code) {
        return new io.fabric8.kubernetes.client.KubernetesClientException("code " + code, code, null);
    }
}
