package dev.finops.operator.cluster;

import dev.finops.operator.model.LabelSelectorMatcher;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LabelSelector;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The compiled label selectors of a controller's primaries, kept per uid while the primary's generation stays the
 * same: an event source asks one per event and primary, and compiling each time would cost more than the match.
 * A selector that does not compile matches nothing here (the primary's own reconcile reports it).
 */
public final class SelectorCache<P extends HasMetadata> {

    private final String field;
    private final Function<P, LabelSelector> selectorOf;
    private final Map<String, Compiled> compiled = new ConcurrentHashMap<>();

    private record Compiled(Long generation, LabelSelectorMatcher matcher) {
    }

    /** {@code field} names the selector in messages, e.g. spec.selector. */
    public SelectorCache(String field, Function<P, LabelSelector> selectorOf) {
        this.field = field;
        this.selectorOf = selectorOf;
    }

    public boolean matches(P primary, Map<String, String> labels) {
        String uid = primary.getMetadata().getUid();
        Long generation = primary.getMetadata().getGeneration();
        Compiled current = compiled.get(uid);
        if (current == null || !Objects.equals(current.generation(), generation)) {
            current = new Compiled(generation, compile(primary));
            compiled.put(uid, current);
        }
        return current.matcher() != null && current.matcher().test(labels);
    }

    /** A deleted primary's selector is dropped. */
    public void forget(P primary) {
        compiled.remove(primary.getMetadata().getUid());
    }

    private LabelSelectorMatcher compile(P primary) {
        try {
            return LabelSelectorMatcher.compile(field, selectorOf.apply(primary));
        } catch (RuntimeException e) {
            return null;
        }
    }
}
