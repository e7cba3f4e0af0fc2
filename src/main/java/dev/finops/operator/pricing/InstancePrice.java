package dev.finops.operator.pricing;

import dev.finops.operator.model.CapacityType;
import java.util.OptionalLong;

/**
 * Prices of one instance type per node-hour, in micro-units of the catalog's currency. A price of -1 means
 * "not known", never zero.
 */
public record InstancePrice(String instanceType, String gpuModel, int gpus, long onDemandMicros, long spotMicros,
        long reservedMicros) {

    public static final long UNKNOWN = -1;

    public OptionalLong perHour(CapacityType type) {
        long micros = switch (type) {
            case ON_DEMAND -> onDemandMicros;
            case SPOT -> spotMicros;
            case RESERVED -> reservedMicros;
        };
        return micros < 0 ? OptionalLong.empty() : OptionalLong.of(micros);
    }

    /** This price with every known field of {@code override} taking precedence. */
    public InstancePrice overriddenBy(InstancePrice override) {
        return new InstancePrice(instanceType,
                override.gpuModel() != null && !override.gpuModel().isEmpty() ? override.gpuModel() : gpuModel,
                override.gpus() > 0 ? override.gpus() : gpus,
                override.onDemandMicros() >= 0 ? override.onDemandMicros() : onDemandMicros,
                override.spotMicros() >= 0 ? override.spotMicros() : spotMicros,
                override.reservedMicros() >= 0 ? override.reservedMicros() : reservedMicros);
    }
}
