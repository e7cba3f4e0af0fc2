package dev.finops.operator.cost;

import dev.finops.operator.api.BudgetPeriod;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.TemporalAdjusters;

/**
 * Where a budget's periods start and end: at local midnight in the budget's time zone (daily, on Mondays,
 * on the first of the month), so a day across a DST change lasts 23 or 25 hours, as users expect.
 */
public record PeriodCalendar(BudgetPeriod period, ZoneId zone, Instant totalStart) {

    public BudgetWindow windowAt(Instant instant) {
        if (period == BudgetPeriod.Total) {
            return new BudgetWindow(totalStart, null);
        }
        LocalDate day = instant.atZone(zone).toLocalDate();
        LocalDate first = switch (period) {
            case Daily -> day;
            case Weekly -> day.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
            case Monthly -> day.withDayOfMonth(1);
            case Total -> throw new IllegalStateException();
        };
        LocalDate next = switch (period) {
            case Daily -> first.plusDays(1);
            case Weekly -> first.plusWeeks(1);
            default -> first.plusMonths(1);
        };
        return new BudgetWindow(first.atStartOfDay(zone).toInstant(), next.atStartOfDay(zone).toInstant());
    }
}
