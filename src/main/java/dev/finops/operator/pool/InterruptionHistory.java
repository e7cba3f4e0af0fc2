package dev.finops.operator.pool;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The spot interruptions of a pool in the last hour, and the end of its last fallback (interruptions up to then
 * were answered by that fallback and cannot start another). Kept in the pool's annotation {@link #ANNOTATION} so
 * an operator restart remembers them: the informers of a new process do not see removals of the past.
 *
 * @param quietSince when the last fallback ended; null if none did within the hour
 */
public record InterruptionHistory(List<Interruption> interruptions, Instant quietSince) {

    public static final String ANNOTATION = "finops.dev/spot-interruptions";
    public static final InterruptionHistory EMPTY = new InterruptionHistory(List.of(), null);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One spot node interrupted (removed or marked for disruption) at a time. */
    public record Interruption(String node, Instant at) {
    }

    public InterruptionHistory {
        interruptions = List.copyOf(interruptions);
    }

    /** Adds what was newly seen (a node counts once, at its first sign) and forgets what left the window. */
    InterruptionHistory merge(List<Interruption> observed, Instant windowStart) {
        Map<String, Interruption> byNode = new LinkedHashMap<>();
        List<Interruption> all = new ArrayList<>(interruptions);
        all.addAll(observed);
        all.sort(Comparator.comparing(Interruption::at));
        all.stream().filter(i -> i.at().isAfter(windowStart)).forEach(i -> byNode.putIfAbsent(i.node(), i));
        Instant quiet = quietSince != null && quietSince.isAfter(windowStart) ? quietSince : null;
        return new InterruptionHistory(List.copyOf(byNode.values()), quiet);
    }

    long countAfter(Instant instant) {
        return interruptions.stream().filter(i -> i.at().isAfter(instant)).count();
    }

    InterruptionHistory quietSince(Instant instant) {
        return new InterruptionHistory(interruptions, instant);
    }

    public String encode() {
        Stored stored = new Stored();
        stored.quietSince = quietSince == null ? null : quietSince.toString();
        stored.interruptions = interruptions.stream().map(i -> Map.of("node", i.node(), "at", i.at().toString()))
                .toList();
        try {
            return JSON.writeValueAsString(stored);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Reads the annotation; anything unreadable (a person edited it) is an empty history, never an error. */
    public static InterruptionHistory decode(String text) {
        if (text == null || text.isBlank()) {
            return EMPTY;
        }
        try {
            Stored stored = JSON.readValue(text, new TypeReference<Stored>() {
            });
            List<Interruption> list = stored.interruptions == null ? List.of()
                    : stored.interruptions.stream()
                            .map(m -> new Interruption(m.get("node"), Instant.parse(m.get("at")))).toList();
            return new InterruptionHistory(list, stored.quietSince == null ? null : Instant.parse(stored.quietSince));
        } catch (Exception e) {
            return EMPTY;
        }
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    static final class Stored {
        public String quietSince;
        public List<Map<String, String>> interruptions;
    }
}
