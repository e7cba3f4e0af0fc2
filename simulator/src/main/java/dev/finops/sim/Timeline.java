package dev.finops.sim;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.PriorityQueue;

/**
 * A scenario's script: steps at offsets from its start, one-off or repeating. Pure: it only says what is
 * due when; {@link ScenarioRunner} executes it against a clock. Steps due at the same offset run in the
 * order they were added.
 */
public final class Timeline {

    /** One line of the script. {@code period} null = once. */
    public record Step(String name, Duration at, Duration period, StepAction action, int order) {
    }

    /** A step due at an offset; {@code occurrence} counts a repeating step's runs from 0. */
    public record Occurrence(Step step, Duration at, int occurrence) {
    }

    private final List<Step> steps = new ArrayList<>();

    /** Runs {@code action} once, {@code at} after the start. */
    public Timeline at(Duration at, String name, StepAction action) {
        steps.add(new Step(name, requireNonNegative(at), null, Objects.requireNonNull(action), steps.size()));
        return this;
    }

    /** Runs {@code action} at {@code first}, then every {@code period}, for as long as the scenario runs. */
    public Timeline every(Duration period, Duration first, String name, StepAction action) {
        if (period.isZero() || period.isNegative()) {
            throw new IllegalArgumentException("period must be positive: " + period);
        }
        steps.add(new Step(name, requireNonNegative(first), period, Objects.requireNonNull(action), steps.size()));
        return this;
    }

    public List<Step> steps() {
        return List.copyOf(steps);
    }

    /** A fresh cursor over the occurrences, in time order. */
    public Cursor cursor() {
        return new Cursor(steps);
    }

    /** Every occurrence due up to and including {@code horizon}, in the order they would run. */
    public List<Occurrence> occurrencesUntil(Duration horizon) {
        Cursor cursor = cursor();
        List<Occurrence> out = new ArrayList<>();
        while (cursor.hasNext() && cursor.peek().at().compareTo(horizon) <= 0) {
            out.add(cursor.next());
        }
        return out;
    }

    private static Duration requireNonNegative(Duration d) {
        if (d.isNegative()) {
            throw new IllegalArgumentException("offset must not be negative: " + d);
        }
        return d;
    }

    /** Walks the occurrences of a timeline in time order (then step order); repeating steps never end. */
    public static final class Cursor {
        private final PriorityQueue<Occurrence> queue = new PriorityQueue<>(
                Comparator.comparing(Occurrence::at).thenComparingInt(o -> o.step().order())
                        .thenComparingInt(Occurrence::occurrence));

        private Cursor(List<Step> steps) {
            steps.forEach(s -> queue.add(new Occurrence(s, s.at(), 0)));
        }

        public boolean hasNext() {
            return !queue.isEmpty();
        }

        public Occurrence peek() {
            return queue.peek();
        }

        public Occurrence next() {
            Occurrence o = queue.remove();
            Step step = o.step();
            if (step.period() != null) {
                queue.add(new Occurrence(step, o.at().plus(step.period()), o.occurrence() + 1));
            }
            return o;
        }
    }
}
