package dev.finops.operator.validation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.finops.operator.api.Formats;
import java.math.BigDecimal;
import java.time.Duration;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.LongRange;

/**
 * The duration parser the API uses, over thousands of generated durations and near misses: every way Kubernetes
 * writes a duration parses back exactly, and it accepts exactly what the CRD's pattern admits.
 */
class GoDurationPropertiesTest {

    private static final long MAX_MILLIS = 366L * 24 * 3600 * 1000;

    @Property(tries = 5000)
    void hoursMinutesSecondsAndMillisParseBackExactly(@ForAll @LongRange(min = 0, max = MAX_MILLIS) long millis) {
        Duration duration = Duration.ofMillis(millis);
        assertThat(GoDuration.parse(goStyle(duration))).isEqualTo(duration);
        assertThat(GoDuration.parse(millis + "ms")).isEqualTo(duration);
        assertThat(GoDuration.parse(BigDecimal.valueOf(millis).movePointLeft(3).toPlainString() + "s"))
                .isEqualTo(duration);
    }

    @Property(tries = 5000)
    void theParserAcceptsExactlyWhatTheCrdPatternAdmits(@ForAll("durationLikeText") String text) {
        boolean admitted = text.matches(Formats.DURATION);
        try {
            Duration parsed = GoDuration.parse(text);
            assertThat(admitted).as("parsed %s, so the CRD must admit it", text).isTrue();
            assertThat(parsed).isBetween(Duration.ZERO, Duration.ofDays(366));
        } catch (IllegalArgumentException refused) {
            assertThat(refused).isExactlyInstanceOf(IllegalArgumentException.class);
            if (admitted) {
                assertThat(refused).as("the CRD admits %s: only its length may be refused", text)
                        .hasMessage("\"" + text + "\" is longer than 366 days");
            }
        }
    }

    /** Go's time.Duration.String() shape without the units below a millisecond: 1h2m3.456s, 2m0s, 0s. */
    private static String goStyle(Duration duration) {
        long hours = duration.toHours();
        int minutes = duration.toMinutesPart();
        String seconds = BigDecimal.valueOf(duration.toSecondsPart() * 1000L + duration.toMillisPart())
                .movePointLeft(3).stripTrailingZeros().toPlainString();
        return (hours > 0 ? hours + "h" : "") + (hours > 0 || minutes > 0 ? minutes + "m" : "") + seconds + "s";
    }

    @Provide
    Arbitrary<String> durationLikeText() {
        Arbitrary<String> parts = Arbitraries.strings().withChars("0123456789.hmsd -").ofMaxLength(14);
        Arbitrary<String> wellFormed = Arbitraries.longs().between(0, 10 * MAX_MILLIS)
                .map(millis -> goStyle(Duration.ofMillis(millis)));
        return Arbitraries.oneOf(parts, wellFormed, Arbitraries.strings().ofMaxLength(10),
                Arbitraries.of("0", "00", "0.5", ".5h", "1.h", "1h.5m", "1mm", "1sm", "1ms5", "1e3s"));
    }
}
