package dev.finops.operator.cost;

import static org.assertj.core.api.Assertions.assertThat;

import dev.finops.operator.api.BudgetPeriod;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

class PeriodCalendarTest {

    private static final ZoneId PARIS = ZoneId.of("Europe/Paris");
    private static final Instant CREATED = Instant.parse("2026-01-15T08:00:00Z");

    @Test
    void aDayAcrossTheAutumnDstChangeLasts25Hours() {
        BudgetWindow day = new PeriodCalendar(BudgetPeriod.Daily, PARIS, CREATED)
                .windowAt(Instant.parse("2026-10-25T12:00:00Z"));

        assertThat(day.start()).isEqualTo(Instant.parse("2026-10-24T22:00:00Z"));
        assertThat(day.end()).isEqualTo(Instant.parse("2026-10-25T23:00:00Z"));
        assertThat(Duration.between(day.start(), day.end())).isEqualTo(Duration.ofHours(25));
    }

    @Test
    void aDayAcrossTheSpringDstChangeLasts23Hours() {
        BudgetWindow day = new PeriodCalendar(BudgetPeriod.Daily, PARIS, CREATED)
                .windowAt(Instant.parse("2026-03-29T12:00:00Z"));

        assertThat(Duration.between(day.start(), day.end())).isEqualTo(Duration.ofHours(23));
    }

    @Test
    void weeksStartOnMondayAndMonthsOnTheFirst() {
        Instant sunday = Instant.parse("2026-11-29T12:00:00Z");
        BudgetWindow week = new PeriodCalendar(BudgetPeriod.Weekly, ZoneId.of("America/New_York"), CREATED)
                .windowAt(sunday);
        BudgetWindow month = new PeriodCalendar(BudgetPeriod.Monthly, PARIS, CREATED).windowAt(sunday);

        assertThat(week.start()).isEqualTo(Instant.parse("2026-11-23T05:00:00Z"));
        assertThat(week.end()).isEqualTo(Instant.parse("2026-11-30T05:00:00Z"));
        assertThat(month.start()).isEqualTo(Instant.parse("2026-10-31T23:00:00Z"));
        assertThat(month.end()).isEqualTo(Instant.parse("2026-11-30T23:00:00Z"));
    }

    @Test
    void totalNeverEnds() {
        BudgetWindow total = new PeriodCalendar(BudgetPeriod.Total, PARIS, CREATED).windowAt(Instant.now());

        assertThat(total.start()).isEqualTo(CREATED);
        assertThat(total.end()).isNull();
        assertThat(total.endsBy(Instant.MAX)).isFalse();
    }
}
