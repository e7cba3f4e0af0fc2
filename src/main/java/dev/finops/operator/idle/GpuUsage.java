package dev.finops.operator.idle;

/**
 * A pod's GPU utilisation over the idle window, in percent (0..100) whatever the metric's own scale: the
 * highest and the mean over all its GPUs, and the fewest samples any of its GPUs had.
 */
public record GpuUsage(String namespace, String pod, double maxPercent, double meanPercent, long samples) {
}
