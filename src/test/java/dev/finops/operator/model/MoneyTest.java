package dev.finops.operator.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.IntOrString;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class MoneyTest {

    @ParameterizedTest
    @CsvSource({
        "0, 0",
        "5000, 5000000000",
        "5000.50, 5000500000",
        "1.006, 1006000",
        "0.000001, 1",
        "98.32, 98320000",
        "999999999999.99, 999999999999990000"
    })
    void parsesDecimalStringsExactlyIntoMicros(String amount, long micros) {
        assertThat(Money.parseMicros(amount)).isEqualTo(micros);
    }

    @Test
    void parsesIntegerAndStringLimits() {
        assertThat(Money.parseMicros(new IntOrString(25000))).isEqualTo(25_000_000_000L);
        assertThat(Money.parseMicros(new IntOrString("1200.50"))).isEqualTo(1_200_500_000L);
    }

    @ParameterizedTest
    @ValueSource(strings = {"-1", "1.0000001", "abc", "", " ", "1e3x", "99999999999999999"})
    void rejectsWhatIsNotANonNegativeAmountOfMicros(String amount) {
        assertThatThrownBy(() -> Money.parseMicros(amount)).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"1e12", "1E3", "1.5e2", "+5", ".5", "5.", "1 000", "0x10", "1_000", "Infinity", "NaN",
        "\u0661\u0662"})
    void rejectsExponentsSignsAndWhatIsNotPlainDecimalNotation(String amount) {
        assertThatThrownBy(() -> Money.parseMicros(amount)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("\"" + amount + "\" is not an amount (digits and at most one decimal point, no sign or "
                        + "exponent); write e.g. 5000 or \"5000.50\"");
    }

    @ParameterizedTest
    @CsvSource({
        "0, 0",
        "1, 0.000001",
        "1006000, 1.006",
        "5000000000, 5000",
        "9223372036854775807, 9223372036854.775807"
    })
    void formatsExactlyWhatParsesBack(long micros, String exact) {
        assertThat(Money.formatExact(micros)).isEqualTo(exact);
        assertThat(Money.parseMicros(exact)).isEqualTo(micros);
    }

    @Test
    void rejectsAMissingAmount() {
        assertThatThrownBy(() -> Money.parseMicros((IntOrString) null))
                .hasMessage("an amount is required, e.g. 5000 or \"5000.50\"");
    }

    @ParameterizedTest
    @CsvSource({
        "0, 0.00",
        "1234567, 1.23",
        "1235000, 1.24",
        "1234999, 1.23",
        "5000500000, 5000.50",
        "4999, 0.00",
        "5000, 0.01"
    })
    void formatsCentsRoundingHalfUp(long micros, String display) {
        assertThat(Money.formatCents(micros)).isEqualTo(display);
    }
}
