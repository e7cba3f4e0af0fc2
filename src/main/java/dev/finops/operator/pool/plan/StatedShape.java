package dev.finops.operator.pool.plan;

import dev.finops.operator.api.GpusPerNodeSource;
import java.util.List;

/**
 * What a capacity provider's own objects say about the nodes it will create, for a pool that has none yet: a GPU
 * count, or instance types whose GPU count the catalog knows.
 *
 * @param gpus GPUs per node as stated, or null
 * @param instanceTypes instance types the provider may create (largest figure wins), possibly empty
 * @param source which provider said it
 */
public record StatedShape(Integer gpus, List<String> instanceTypes, GpusPerNodeSource source) {

    public StatedShape {
        instanceTypes = List.copyOf(instanceTypes);
    }

    public boolean statesAnything() {
        return (gpus != null && gpus > 0) || !instanceTypes.isEmpty();
    }
}
