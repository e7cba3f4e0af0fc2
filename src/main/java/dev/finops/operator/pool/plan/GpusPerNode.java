package dev.finops.operator.pool.plan;

import dev.finops.operator.api.GpuPoolSpec;
import dev.finops.operator.api.GpusPerNodeSource;
import dev.finops.operator.api.NodeShape;
import dev.finops.operator.pricing.InstancePrice;
import dev.finops.operator.pricing.PriceCatalog;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Supplier;

/**
 * GPUs of one node of a pool, and where the figure comes from. Pure.
 *
 * <p>The first known wins: {@code spec.nodeShape.gpusPerNode}; the catalog's figure for
 * {@code spec.nodeShape.instanceType}; the largest GPU node the pool has now; what the provider's objects state
 * (asked only when nothing before answered, so a pool with nodes costs no extra read); the catalog's figure for
 * {@code spec.pricing.instanceType} (pools written before spec.nodeShape). When none answers the figure is 0 and
 * no scale-up is planned: a guess would buy the wrong number of nodes.
 *
 * @param gpus GPUs per node, 0 when unknown
 * @param source where it comes from
 * @param note why an explicit statement could not be used (e.g. an instance type the catalog lacks), or empty
 */
public record GpusPerNode(int gpus, GpusPerNodeSource source, String note) {

    public boolean known() {
        return gpus > 0;
    }

    public static GpusPerNode resolve(GpuPoolSpec spec, int largestNode, Supplier<Optional<StatedShape>> stated,
            PriceCatalog catalog) {
        NodeShape shape = spec.getNodeShape();
        String note = "";
        if (shape != null && shape.getGpusPerNode() != null && shape.getGpusPerNode() > 0) {
            return new GpusPerNode(shape.getGpusPerNode(), GpusPerNodeSource.NodeShape, note);
        }
        if (shape != null && shape.getInstanceType() != null) {
            OptionalInt gpus = catalogGpus(catalog, List.of(shape.getInstanceType()));
            if (gpus.isPresent()) {
                return new GpusPerNode(gpus.getAsInt(), GpusPerNodeSource.NodeShapeInstanceType, note);
            }
            note = "spec.nodeShape.instanceType " + shape.getInstanceType() + " has no GPU count in the price "
                    + "catalog; add spec.nodeShape.gpusPerNode.";
        }
        if (largestNode > 0) {
            return new GpusPerNode(largestNode, GpusPerNodeSource.Nodes, note);
        }
        Optional<GpusPerNode> fromProvider = stated.get().flatMap(statement -> fromStatement(statement, catalog));
        if (fromProvider.isPresent()) {
            return new GpusPerNode(fromProvider.get().gpus(), fromProvider.get().source(), note);
        }
        String legacy = spec.getPricing() == null ? null : spec.getPricing().getInstanceType();
        OptionalInt legacyGpus = legacy == null ? OptionalInt.empty() : catalogGpus(catalog, List.of(legacy));
        if (legacyGpus.isPresent()) {
            return new GpusPerNode(legacyGpus.getAsInt(), GpusPerNodeSource.PricingInstanceType, note);
        }
        return new GpusPerNode(0, GpusPerNodeSource.Unknown, note);
    }

    private static Optional<GpusPerNode> fromStatement(StatedShape statement, PriceCatalog catalog) {
        if (statement.gpus() != null && statement.gpus() > 0) {
            return Optional.of(new GpusPerNode(statement.gpus(), statement.source(), ""));
        }
        OptionalInt gpus = catalogGpus(catalog, statement.instanceTypes());
        return gpus.isPresent() ? Optional.of(new GpusPerNode(gpus.getAsInt(), statement.source(), ""))
                : Optional.empty();
    }

    /** The largest GPU count the catalog knows among {@code instanceTypes}. */
    private static OptionalInt catalogGpus(PriceCatalog catalog, List<String> instanceTypes) {
        return instanceTypes.stream().map(catalog::find).flatMap(Optional::stream).mapToInt(InstancePrice::gpus)
                .filter(gpus -> gpus > 0).max();
    }
}
