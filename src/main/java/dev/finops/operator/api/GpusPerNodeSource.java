package dev.finops.operator.api;

/** Where the planner took the GPUs of one node of a pool from, first known wins in this order. */
public enum GpusPerNodeSource {
    /** spec.nodeShape.gpusPerNode. */
    NodeShape,
    /** The catalog's figure for spec.nodeShape.instanceType. */
    NodeShapeInstanceType,
    /** The largest GPU node the pool has now. */
    Nodes,
    /** The requirements of the pool's Karpenter NodePools (GPU count or instance types). */
    KarpenterNodePool,
    /** The Cluster API scale-from-zero capacity annotations on the pool's scale targets. */
    ClusterApiAnnotations,
    /** The catalog's figure for spec.pricing.instanceType (pools written before spec.nodeShape). */
    PricingInstanceType,
    /** Nothing states it: no scale-up is planned. */
    Unknown
}
