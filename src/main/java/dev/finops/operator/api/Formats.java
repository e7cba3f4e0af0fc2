package dev.finops.operator.api;

/** The textual formats of the API, shared by the OpenAPI patterns and the operator's own parsers. */
public final class Formats {

    /** Money with at most 2 decimals and 12 integer digits: "5000", "5000.50". */
    public static final String MONEY = "^(0|[1-9][0-9]{0,11})([.][0-9]{1,2})?$";

    /** An hourly price with at most 6 decimals (micro-units): "98.32", "1.006". */
    public static final String PRICE = "^(0|[1-9][0-9]{0,8})([.][0-9]{1,6})?$";

    /** A Go-style duration as Kubernetes writes them: "90s", "30m", "1h30m", "0". */
    public static final String DURATION = "^(0|([0-9]+([.][0-9]+)?(ms|s|m|h))+)$";

    /** An ISO 4217 currency code. */
    public static final String CURRENCY = "^[A-Z]{3}$";

    /** A Kubernetes object name (DNS-1123 subdomain). */
    public static final String OBJECT_NAME = "^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$";

    private Formats() {
    }
}
