package dev.finops.sim;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.function.Consumer;

/**
 * Plays a {@link Timeline} against a clock: waits for each occurrence, runs it, reports one
 * {@link ScenarioEvent}. A failing step is reported and the scenario goes on (a demo must survive a
 * transient API error). Time comes only from the injected {@link Clock} and {@link Sleeper}.
 */
public final class ScenarioRunner {

    private static final int KEPT_EVENTS = 10_000;

    private final Clock clock;
    private final Sleeper sleeper;
    private final Consumer<ScenarioEvent> listener;
    /** The latest events (bounded: a demo runs for days). */
    private final Deque<ScenarioEvent> events = new ArrayDeque<>();

    public ScenarioRunner(Clock clock, Sleeper sleeper, Consumer<ScenarioEvent> listener) {
        this.clock = clock;
        this.sleeper = sleeper;
        this.listener = listener;
    }

    /** Prints each event's line to standard output. */
    public static ScenarioRunner printing(Clock clock) {
        return new ScenarioRunner(clock, Sleeper.of(clock), event -> System.out.println(event.line()));
    }

    /**
     * Runs the occurrences due up to {@code horizon} after now (null = forever), then returns the events.
     * Stops early, without error, when the thread is interrupted.
     */
    public List<ScenarioEvent> run(Timeline timeline, Duration horizon) {
        Instant start = clock.instant();
        Timeline.Cursor cursor = timeline.cursor();
        while (cursor.hasNext()) {
            Timeline.Occurrence next = cursor.peek();
            if (horizon != null && next.at().compareTo(horizon) > 0) {
                break;
            }
            Instant due = start.plus(next.at());
            try {
                sleeper.sleepUntil(due);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            cursor.next();
            execute(next, due, start);
        }
        return List.copyOf(events);
    }

    private void execute(Timeline.Occurrence o, Instant due, Instant start) {
        StepContext context = new StepContext(o.step().name(), o.occurrence(), due, o.at());
        ScenarioEvent event;
        try {
            String message = o.step().action().run(context);
            event = new ScenarioEvent(clock.instant(), Duration.between(start, clock.instant()), o.step().name(),
                    o.occurrence(), false, message == null ? "" : message);
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            event = new ScenarioEvent(clock.instant(), Duration.between(start, clock.instant()), o.step().name(),
                    o.occurrence(), true, e.getClass().getSimpleName() + ": " + e.getMessage());
        }
        events.addLast(event);
        if (events.size() > KEPT_EVENTS) {
            events.removeFirst();
        }
        listener.accept(event);
    }

    public List<ScenarioEvent> events() {
        return List.copyOf(events);
    }
}
