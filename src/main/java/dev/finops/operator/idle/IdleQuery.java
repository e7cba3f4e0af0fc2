package dev.finops.operator.idle;

import dev.finops.operator.api.IdleMetric;
import java.time.Duration;
import java.util.Collection;
import java.util.stream.Collectors;

/**
 * The one PromQL query per pool and pass: for every pod on the pool's nodes, the maximum and mean of the
 * metric over the window and the sample count, each tagged with a {@code finops_stat} label so a single
 * round trip answers all three. Never a query per pod.
 */
public final class IdleQuery {

    public static final String STAT_LABEL = "finops_stat";

    private IdleQuery() {
    }

    /**
     * @param namespaceLabel the label carrying the pod's namespace ({@code namespace}, or {@code
     *     exported_namespace} when Prometheus renamed it)
     * @param podLabel likewise {@code pod} or {@code exported_pod}
     */
    public static String build(IdleMetric metric, Duration window, Collection<String> nodes, String namespaceLabel,
            String podLabel) {
        String selector = metric.name() + "{Hostname=~\"" + nodes.stream().sorted().map(IdleQuery::regexQuote)
                .collect(Collectors.joining("|")) + "\"," + podLabel + "!=\"\"}[" + window.toSeconds() + "s]";
        String by = " by (" + namespaceLabel + ", " + podLabel + ") ";
        return stat("max", "max" + by + "(max_over_time(" + selector + "))") + " or "
                + stat("mean", "avg" + by + "(avg_over_time(" + selector + "))") + " or "
                + stat("samples", "min" + by + "(count_over_time(" + selector + "))");
    }

    private static String stat(String name, String expression) {
        return "label_replace(" + expression + ", \"" + STAT_LABEL + "\", \"" + name + "\", \"\", \"\")";
    }

    /** A node name as a literal inside a PromQL regex string: regex metacharacters escaped, backslashes doubled. */
    static String regexQuote(String value) {
        StringBuilder quoted = new StringBuilder();
        for (char c : value.toCharArray()) {
            if ("\\.^$|?*+()[]{}".indexOf(c) >= 0) {
                quoted.append("\\\\");
            }
            quoted.append(c);
        }
        return quoted.toString();
    }

    /** The metric's values in percent: GR_ENGINE_ACTIVE is a ratio 0..1, GPU_UTIL already 0..100. */
    public static double toPercent(IdleMetric metric, double value) {
        return metric == IdleMetric.DCGM_FI_PROF_GR_ENGINE_ACTIVE ? value * 100 : value;
    }
}
