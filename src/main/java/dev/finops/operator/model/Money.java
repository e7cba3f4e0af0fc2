package dev.finops.operator.model;

import io.fabric8.kubernetes.api.model.IntOrString;
import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * Money is never a float: amounts are exact integers of micro-units (1 = 0.000001 of the currency),
 * parsed from the decimal strings of the API and rounded to cents only for display.
 */
public final class Money {

    public static final long MICROS_PER_UNIT = 1_000_000L;

    private Money() {
    }

    /** Parses "5000", "5000.50" or "1.006" into micro-units; rejects negatives and more than 6 decimals. */
    public static long parseMicros(String amount) {
        if (amount == null || amount.isBlank()) {
            throw new IllegalArgumentException("an amount is required, e.g. 5000 or \"5000.50\"");
        }
        BigDecimal value;
        try {
            value = new BigDecimal(amount.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("\"" + amount + "\" is not an amount; write e.g. 5000 or \"5000.50\"");
        }
        if (value.signum() < 0) {
            throw new IllegalArgumentException("\"" + amount + "\" is negative");
        }
        try {
            return value.movePointRight(6).setScale(0, RoundingMode.UNNECESSARY).longValueExact();
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("\"" + amount + "\" has more than 6 decimals or is too large");
        }
    }

    public static long parseMicros(IntOrString amount) {
        if (amount == null) {
            throw new IllegalArgumentException("an amount is required, e.g. 5000 or \"5000.50\"");
        }
        return amount.getIntVal() != null ? parseMicros(amount.getIntVal().toString()) : parseMicros(amount.getStrVal());
    }

    /** Micro-units as a decimal string rounded half-up to cents, e.g. 1234567 -> "1.23". */
    public static String formatCents(long micros) {
        return BigDecimal.valueOf(micros).movePointLeft(6).setScale(2, RoundingMode.HALF_UP).toPlainString();
    }
}
