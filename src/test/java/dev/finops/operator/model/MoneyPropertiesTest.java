package dev.finops.operator.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.math.RoundingMode;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.LongRange;

/** Money parsing and formatting over thousands of generated amounts: exact round-trips, only documented errors. */
class MoneyPropertiesTest {

    @Property(tries = 5000)
    void everyAmountOfMicrosFormatsExactlyAndParsesBack(@ForAll @LongRange(min = 0, max = Long.MAX_VALUE) long micros) {
        assertThat(Money.parseMicros(Money.formatExact(micros))).isEqualTo(micros);
    }

    @Property(tries = 5000)
    void centsAreTheExactAmountRoundedHalfUp(@ForAll @LongRange(min = 0, max = Long.MAX_VALUE) long micros) {
        String cents = Money.formatCents(micros);
        BigDecimal oracle = new BigDecimal(micros).divide(new BigDecimal(1_000_000)).setScale(2, RoundingMode.HALF_UP);
        assertThat(cents).isEqualTo(oracle.toPlainString()).matches("[0-9]+\\.[0-9]{2}");
        assertThat(Math.abs(new BigDecimal(cents).movePointRight(6).subtract(new BigDecimal(micros)).longValueExact()))
                .isLessThanOrEqualTo(5_000);
    }

    @Property(tries = 5000)
    void aPlainDecimalWithUpToSixDecimalsParsesToItsExactValue(@ForAll("plainDecimals") String amount) {
        BigDecimal exact = new BigDecimal(amount).movePointRight(6);
        if (exact.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0) {
            assertThatThrownBy(() -> Money.parseMicros(amount)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("\"" + amount + "\" has more than 6 decimals or is too large");
        } else {
            assertThat(Money.parseMicros(amount)).isEqualTo(exact.longValueExact());
        }
    }

    @Property(tries = 5000)
    void anyTextParsesToANonNegativeAmountOrIsRefusedWithAMessage(@ForAll("amountLikeText") String text) {
        try {
            long micros = Money.parseMicros(text);
            assertThat(micros).isNotNegative();
            assertThat(text.strip()).matches("[0-9]+(\\.[0-9]{1,6}0*)?");
        } catch (IllegalArgumentException refused) {
            assertThat(refused.getMessage()).isNotBlank();
            assertThat(refused).isExactlyInstanceOf(IllegalArgumentException.class);
        }
    }

    @Provide
    Arbitrary<String> plainDecimals() {
        Arbitrary<String> integer = Arbitraries.strings().numeric().ofMinLength(1).ofMaxLength(16);
        Arbitrary<String> fraction = Arbitraries.strings().numeric().ofMinLength(0).ofMaxLength(6);
        return Combinators.combine(integer, fraction).as((i, f) -> f.isEmpty() ? i : i + "." + f);
    }

    /** Near misses of amounts: signs, exponents, points, spaces, other digits, and random text. */
    @Provide
    Arbitrary<String> amountLikeText() {
        Arbitrary<String> pieces = Arbitraries.strings().withChars("0123456789.-+eE _,x\u0661\t").ofMaxLength(24);
        return Arbitraries.oneOf(pieces, Arbitraries.strings().ofMaxLength(24), plainDecimals(),
                plainDecimals().map(d -> d + "e" + d.length()));
    }
}
