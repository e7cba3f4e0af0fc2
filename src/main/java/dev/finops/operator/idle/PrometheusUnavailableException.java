package dev.finops.operator.idle;

/** Prometheus could not answer, or answered nothing usable; idle detection then takes no action at all. */
public class PrometheusUnavailableException extends Exception {

    private final IdleDetectionReason reason;

    public PrometheusUnavailableException(String message, Throwable cause) {
        this(IdleDetectionReason.PrometheusUnavailable, message, cause);
    }

    public PrometheusUnavailableException(IdleDetectionReason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    /** The IdleDetectionAvailable condition's reason: unreachable or erring (PrometheusUnavailable), or MalformedReply. */
    public IdleDetectionReason reason() {
        return reason;
    }
}
