package dev.finops.operator.validation;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses durations the way Kubernetes writes them ("90s", "30m", "1h30m", "1.5h", "0"). */
public final class GoDuration {

    private static final Pattern PART = Pattern.compile("([0-9]+(?:\\.[0-9]+)?)(ms|s|m|h)");
    private static final Duration MAX = Duration.ofDays(366);

    private GoDuration() {
    }

    public static Duration parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("a duration is required, e.g. 30m");
        }
        if (text.equals("0")) {
            return Duration.ZERO;
        }
        Matcher matcher = PART.matcher(text);
        BigDecimal nanos = BigDecimal.ZERO;
        int end = 0;
        while (matcher.find() && matcher.start() == end) {
            nanos = nanos.add(new BigDecimal(matcher.group(1)).multiply(nanosPer(matcher.group(2))));
            end = matcher.end();
        }
        if (end != text.length() || end == 0) {
            throw new IllegalArgumentException("\"" + text + "\" is not a duration; write e.g. 90s, 30m or 1h30m");
        }
        if (nanos.compareTo(BigDecimal.valueOf(MAX.toNanos())) > 0) {
            throw new IllegalArgumentException("\"" + text + "\" is longer than 366 days");
        }
        return Duration.ofNanos(nanos.longValue());
    }

    private static BigDecimal nanosPer(String unit) {
        return BigDecimal.valueOf(switch (unit) {
            case "ms" -> 1_000_000L;
            case "s" -> 1_000_000_000L;
            case "m" -> 60_000_000_000L;
            case "h" -> 3_600_000_000_000L;
            default -> throw new IllegalStateException(unit);
        });
    }
}
