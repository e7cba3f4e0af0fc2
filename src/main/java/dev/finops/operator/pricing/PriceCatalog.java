package dev.finops.operator.pricing;

import dev.finops.operator.model.Money;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

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
 * Empty price fields mean "not known here"; in an overlay they keep the underlying catalog's value.
 */
public final class PriceCatalog {

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
            String gpus = fields[3].strip();
            return new InstancePrice(fields[1].strip(), fields[2].strip(), gpus.isEmpty() ? 0 : Integer.parseInt(gpus),
                    price(fields[4]), price(fields[5]), price(fields[6]));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(source + " line " + line + ": " + e.getMessage(), e);
        }
    }

    private static long price(String field) {
        String value = field.strip();
        return value.isEmpty() ? InstancePrice.UNKNOWN : Money.parseMicros(value);
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
