package dev.finops.operator.idle;

/** Prometheus could not answer; idle detection then takes no action at all. */
public class PrometheusUnavailableException extends Exception {

    public PrometheusUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
