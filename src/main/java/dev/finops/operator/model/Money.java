package dev.finops.operator.model;

import io.fabric8.kubernetes.api.model.IntOrString;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.regex.Pattern;

/**
 * Money is never a float: amounts are exact integers of micro-units (1 = 0.000001 of the currency),
 * parsed from the decimal strings of the API and rounded to cents only for display.
 */
public final class Money {

    public static final long MICROS_PER_UNIT = 1_000_000L;
    /** Plain decimal notation only: no sign, no exponent ("1e12"), no leading or trailing point. */
    private static final Pattern DECIMAL = Pattern.compile("[0-9]+(\\.[0-9]+)?");
    private static final String EXAMPLE = "; write e.g. 5000 or \"5000.50\"";

    private Money() {
    }

    /**
     * Parses "5000", "5000.50" or "1.006" into micro-units; rejects signs, exponents, more than 6 decimals and
     * amounts that do not fit in micro-units.
     */
    public static long parseMicros(String amount) {
        if (amount == null || amount.isBlank()) {
            throw new IllegalArgumentException("an amount is required, e.g. 5000 or \"5000.50\"");
        }
        String text = amount.strip();
        if (text.startsWith("-")) {
            throw new IllegalArgumentException("\"" + amount + "\" is negative");
        }
        if (!DECIMAL.matcher(text).matches()) {
            throw new IllegalArgumentException("\"" + amount + "\" is not an amount (digits and at most one "
                    + "decimal point, no sign or exponent)" + EXAMPLE);
        }
        try {
            return new BigDecimal(text).movePointRight(6).setScale(0, RoundingMode.UNNECESSARY).longValueExact();
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

    /** Micro-units as the exact decimal string {@link #parseMicros} reads back, e.g. 1006000 -> "1.006". */
    public static String formatExact(long micros) {
        BigDecimal units = BigDecimal.valueOf(micros).movePointLeft(6).stripTrailingZeros();
        return units.scale() < 0 ? units.setScale(0).toPlainString() : units.toPlainString();
    }
}
