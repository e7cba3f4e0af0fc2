package dev.finops.operator.pricing;

import dev.finops.operator.model.Money;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Node prices by instance type. Parsed from a small CSV format (the built-in catalog and the price
 * ConfigMap use the same one):
 *
 * <pre>
 * # comment
 * currency,USD
 * provider,instanceType,gpuModel,gpus,onDemandPerHour,spotPerHour,reservedPerHour
 * </pre>
 *
 * Empty price fields mean "not known here"; in an overlay they keep the underlying catalog's value. Prices are
 * plain decimals (no sign, no exponent such as {@code 1e12}, at most 6 decimals, at most 999999999.999999 per
 * node-hour): anything else is refused with its line, like any other malformed row.
 */
public final class PriceCatalog {

    /** The largest price per node-hour (the API's price format: 9 integer digits, 6 decimals). */
    static final long MAX_MICROS_PER_HOUR = 999_999_999_999_999L;
    private static final Pattern GPUS = Pattern.compile("[0-9]{1,4}");

    private final String currency;
    private final Map<String, InstancePrice> prices;

    public PriceCatalog(String currency, Map<String, InstancePrice> prices) {
        this.currency = currency;
        this.prices = Map.copyOf(prices);
    }

    public static PriceCatalog parse(String csv, String source) {
        String currency = null;
        Map<String, InstancePrice> prices = new HashMap<>();
        String[] lines = csv.split("\\R");
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] fields = line.split(",", -1);
            if (fields[0].equals("currency") && fields.length == 2) {
                currency = fields[1].strip();
                continue;
            }
            InstancePrice price = row(fields, source, i + 1);
            prices.put(price.instanceType(), price);
        }
        return new PriceCatalog(currency, prices);
    }

    private static InstancePrice row(String[] fields, String source, int line) {
        if (fields.length != 7) {
            throw new IllegalArgumentException(source + " line " + line + ": expected 7 columns "
                    + "(provider,instanceType,gpuModel,gpus,onDemandPerHour,spotPerHour,reservedPerHour), got "
                    + fields.length);
        }
        try {
            String type = fields[1].strip();
            if (type.isEmpty()) {
                throw new IllegalArgumentException("instanceType (column 2) is empty");
            }
            return new InstancePrice(type, fields[2].strip(), gpus(fields[3].strip()),
                    price(fields[4]), price(fields[5]), price(fields[6]));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(source + " line " + line + ": " + e.getMessage(), e);
        }
    }

    private static int gpus(String field) {
        if (field.isEmpty()) {
            return 0;
        }
        if (!GPUS.matcher(field).matches()) {
            throw new IllegalArgumentException("gpus (column 4) \"" + field + "\" is not a whole number from 0 to 9999");
        }
        return Integer.parseInt(field);
    }

    private static long price(String field) {
        String value = field.strip();
        if (value.isEmpty()) {
            return InstancePrice.UNKNOWN;
        }
        long micros = Money.parseMicros(value);
        if (micros > MAX_MICROS_PER_HOUR) {
            throw new IllegalArgumentException("\"" + value + "\" per node-hour is more than "
                    + Money.formatExact(MAX_MICROS_PER_HOUR) + ", the largest price the catalog takes");
        }
        return micros;
    }

    /** The currency of the prices; empty for an overlay that does not set it. */
    public Optional<String> currency() {
        return Optional.ofNullable(currency);
    }

    public Optional<InstancePrice> find(String instanceType) {
        return instanceType == null ? Optional.empty() : Optional.ofNullable(prices.get(instanceType));
    }

    public int size() {
        return prices.size();
    }

    /** This catalog with {@code overlay}'s rows (field by field) and currency taking precedence. */
    public PriceCatalog overlaidWith(PriceCatalog overlay) {
        Map<String, InstancePrice> merged = new HashMap<>(prices);
        overlay.prices.forEach((type, price) -> merged.merge(type, price, InstancePrice::overriddenBy));
        return new PriceCatalog(overlay.currency != null ? overlay.currency : currency, merged);
    }
}
