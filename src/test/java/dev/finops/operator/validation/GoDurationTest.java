package dev.finops.operator.validation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class GoDurationTest {

    @ParameterizedTest
    @CsvSource({
        "0, PT0S",
        "0s, PT0S",
        "90s, PT1M30S",
        "30m, PT30M",
        "1h30m, PT1H30M",
        "1.5h, PT1H30M",
        "250ms, PT0.25S",
        "2h45m30s, PT2H45M30S"
    })
    void parsesKubernetesDurations(String text, Duration expected) {
        assertThat(GoDuration.parse(text)).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"30", "1d", "h", "-5m", "1h 30m", "m30", "1.h", "9000h"})
    void rejectsWhatIsNotADuration(String text) {
        assertThatThrownBy(() -> GoDuration.parse(text)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("\"" + text + "\"");
    }
}
