package dev.finops.operator.pool.provider;

import dev.finops.operator.api.ScaleTargetReference;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The kinds a GpuPool may scale: Cluster API's node groups, and the kinds the platform team lists in the operator
 * setting {@code finops.scale-targets.allowed-kinds}. Anything else (a Deployment, a StatefulSet: whatever the
 * operator's own rights would reach) is refused before any request, so writing a GpuPool is never the right to
 * scale arbitrary workloads.
 */
public final class ScaleTargetKinds {

    public static final String SETTING = "finops.scale-targets.allowed-kinds (chart value scaleTargets.allowedKinds)";
    static final String CLUSTER_API_GROUP = "cluster.x-k8s.io";
    static final List<String> CLUSTER_API_KINDS = List.of("MachineDeployment", "MachinePool", "MachineSet");

    private final Set<String> allowed = new LinkedHashSet<>();

    /** @param listed {@code Kind.group} entries of the operator setting */
    public ScaleTargetKinds(List<String> listed) {
        CLUSTER_API_KINDS.forEach(kind -> allowed.add(kind + "." + CLUSTER_API_GROUP));
        listed.stream().map(String::trim).filter(entry -> !entry.isEmpty()).forEach(allowed::add);
    }

    public boolean allows(ScaleTargetReference target) {
        return allowed.contains(kindDotGroup(target));
    }

    /** {@code Kind.group} of a target; {@code Kind} alone for the core group. */
    static String kindDotGroup(ScaleTargetReference target) {
        String apiVersion = target.getApiVersion() == null ? "" : target.getApiVersion();
        int slash = apiVersion.indexOf('/');
        return slash < 0 ? target.getKind() : target.getKind() + "." + apiVersion.substring(0, slash);
    }

    String refusal(String field, ScaleTargetReference target) {
        return target.getApiVersion() + " " + target.getKind() + " " + (target.getNamespace() == null ? ""
                : target.getNamespace() + "/") + target.getName() + " (" + field + ") is not a kind GpuPools may "
                + "scale: only Cluster API MachineDeployment, MachinePool and MachineSet (" + CLUSTER_API_GROUP
                + ") and the kinds listed in the operator setting " + SETTING + " are; nothing was scaled.";
    }
}
