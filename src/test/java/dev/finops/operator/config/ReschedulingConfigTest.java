package dev.finops.operator.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Both controllers are rescheduled within bounds whatever happens: every pass ends by the pass interval at the
 * latest (never JOSDK's 10-hour default), and a failed pass (a lost status write) is retried from 1 s, backing off
 * to 30 s, without end (never five attempts and then silence).
 */
class ReschedulingConfigTest {

    @ParameterizedTest
    @ValueSource(strings = {"experimentbudget", "gpupool"})
    void eachControllerComesBackWithinThePassIntervalAndRetriesWithoutEnd(String controller) throws IOException {
        Properties properties = new Properties();
        try (InputStream in = getClass().getResourceAsStream("/application.properties")) {
            properties.load(in);
        }
        String prefix = "quarkus.operator-sdk.controllers." + controller + ".";

        assertThat(properties.getProperty(prefix + "max-reconciliation-interval")).isEqualTo("${finops.pass-interval:30s}");
        assertThat(properties.getProperty(prefix + "retry.max-attempts")).isEqualTo(Integer.toString(Integer.MAX_VALUE));
        assertThat(properties.getProperty(prefix + "retry.interval.initial")).isEqualTo("1000");
        assertThat(properties.getProperty(prefix + "retry.interval.multiplier")).isEqualTo("2");
        assertThat(properties.getProperty(prefix + "retry.interval.max")).isEqualTo("30000");
    }
}
