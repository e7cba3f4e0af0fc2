package dev.finops.sim;

import java.util.List;
import java.util.Locale;

/**
 * Renders GPU series in the Prometheus text format exactly as NVIDIA's dcgm-exporter writes it (its Go
 * template: {@code # HELP}, {@code # TYPE}, then one line per series with the labels {@code gpu},
 * {@code UUID}, {@code pci_bus_id}, {@code device}, {@code modelName}, for MIG {@code GPU_I_PROFILE} and
 * {@code GPU_I_ID}, {@code Hostname}, then the pod attributes sorted by name: {@code container},
 * {@code namespace}, {@code pod} and, for time-sliced GPUs, {@code vgpu}). Integer fields print as
 * integers, double fields with six decimals (Go's {@code %d} / {@code %f}).
 *
 * <p>Two fields, the ones the operator's idle detection reads: {@code DCGM_FI_DEV_GPU_UTIL} (percent) and
 * {@code DCGM_FI_PROF_GR_ENGINE_ACTIVE} (ratio). As on real hardware, {@code DCGM_FI_DEV_GPU_UTIL} is not
 * reported for MIG instances (DCGM only has profiling metrics per GPU instance).
 *
 * <p>Unlike dcgm-exporter, label values are escaped as the text format requires ({@code \\ \" \n}).
 */
public final class DcgmExposition {

    /** The DCGM fields served. */
    public enum Field {
        GPU_UTIL("DCGM_FI_DEV_GPU_UTIL", "GPU utilization (in %).", false),
        GR_ENGINE_ACTIVE("DCGM_FI_PROF_GR_ENGINE_ACTIVE", "Ratio of time the graphics engine is active.", true);

        private final String metricName;
        private final String help;
        private final boolean perMigInstance;

        Field(String metricName, String help, boolean perMigInstance) {
            this.metricName = metricName;
            this.help = help;
            this.perMigInstance = perMigInstance;
        }

        public String metricName() {
            return metricName;
        }

        String value(double utilisation) {
            return this == GPU_UTIL
                    ? Long.toString(Math.round(utilisation * 100))
                    : String.format(Locale.ROOT, "%f", utilisation);
        }
    }

    private DcgmExposition() {
    }

    public static String render(List<GpuSeries> series) {
        StringBuilder out = new StringBuilder(256 + series.size() * 2 * 260);
        for (Field field : Field.values()) {
            out.append("# HELP ").append(field.metricName).append(' ').append(field.help).append('\n');
            out.append("# TYPE ").append(field.metricName).append(" gauge\n");
            for (GpuSeries s : series) {
                if (s.isMigInstance() && !field.perMigInstance) {
                    continue;
                }
                appendSeries(out, field, s);
            }
        }
        return out.toString();
    }

    private static void appendSeries(StringBuilder out, Field field, GpuSeries s) {
        out.append(field.metricName).append('{');
        label(out, "gpu", Integer.toString(s.gpu().index())).append(',');
        label(out, "UUID", s.gpu().uuid()).append(',');
        label(out, "pci_bus_id", s.gpu().pciBusId()).append(',');
        label(out, "device", s.gpu().device()).append(',');
        label(out, "modelName", s.modelName());
        if (s.isMigInstance()) {
            out.append(',');
            label(out, "GPU_I_PROFILE", s.slot().mig().name()).append(',');
            label(out, "GPU_I_ID", Integer.toString(s.slot().gpuInstanceId()));
        }
        out.append(',');
        label(out, "Hostname", s.hostname()).append(',');
        GpuHolder holder = s.holder();
        label(out, "container", holder == null ? "" : holder.container()).append(',');
        label(out, "namespace", holder == null ? "" : holder.namespace()).append(',');
        label(out, "pod", holder == null ? "" : holder.pod());
        String vgpu = s.vgpu();
        if (vgpu != null) {
            out.append(',');
            label(out, "vgpu", vgpu);
        }
        out.append("} ").append(field.value(s.utilisation())).append('\n');
    }

    private static StringBuilder label(StringBuilder out, String name, String value) {
        out.append(name).append("=\"");
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '"' -> out.append("\\\"");
                case '\n' -> out.append("\\n");
                default -> out.append(c);
            }
        }
        return out.append('"');
    }
}
