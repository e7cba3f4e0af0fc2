package dev.finops.operator.pool;

import dev.finops.operator.cluster.ClusterView;
import dev.finops.operator.model.CapacityType;
import dev.finops.operator.model.LabelSelectorMatcher;
import dev.finops.operator.pool.InterruptionHistory.Interruption;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Sees spot nodes being interrupted: a spot Node deleted, or tainted by Karpenter's disruption taint or by the
 * AWS node termination handler's spot interruption taint. Remembers each for the sliding hour; the pools pick
 * the ones their node selector matches. A node counts once, at its first sign. Hears the nodes through the
 * {@link ClusterView}'s informer: no second cache of every Node.
 */
@ApplicationScoped
public class SpotInterruptionWatch {

    static final Set<String> INTERRUPTION_TAINTS = Set.of("karpenter.sh/disrupted",
            "aws-node-termination-handler/spot-itn");

    /** An interruption with the labels of the node, to match it to pools. */
    record Seen(Interruption interruption, Map<String, String> labels) {
    }

    private final ClusterView cluster;
    private final Clock clock;
    private final Map<String, Seen> seen = new ConcurrentHashMap<>();

    public SpotInterruptionWatch(ClusterView cluster, Clock clock) {
        this.cluster = cluster;
        this.clock = clock;
    }

    void start(@Observes StartupEvent event) {
        cluster.addNodeListener(new Handler());
    }

    /** The interruptions of the last hour among nodes the selector matches. */
    public List<Interruption> matching(LabelSelectorMatcher selector) {
        Instant horizon = clock.instant().minus(SpotFallbackPolicy.WINDOW);
        seen.values().removeIf(s -> s.interruption().at().isBefore(horizon));
        return seen.values().stream().filter(s -> selector.test(s.labels())).map(Seen::interruption).toList();
    }

    void record(Node node) {
        Map<String, String> labels = node.getMetadata().getLabels() == null ? Map.of()
                : Map.copyOf(node.getMetadata().getLabels());
        if (CapacityType.ofNodeLabels(labels) == CapacityType.SPOT) {
            String name = node.getMetadata().getName();
            seen.putIfAbsent(name, new Seen(new Interruption(name, clock.instant()), labels));
        }
    }

    static boolean interruptionTainted(Node node) {
        List<Taint> taints = node.getSpec() == null ? null : node.getSpec().getTaints();
        return taints != null && taints.stream().anyMatch(taint -> INTERRUPTION_TAINTS.contains(taint.getKey()));
    }

    private final class Handler implements ResourceEventHandler<Node> {

        @Override
        public void onAdd(Node node) {
            if (interruptionTainted(node)) {
                record(node);
            }
        }

        @Override
        public void onUpdate(Node before, Node after) {
            if (interruptionTainted(after)) {
                record(after);
            }
        }

        @Override
        public void onDelete(Node node, boolean finalStateUnknown) {
            record(node);
        }
    }
}
