package dev.finops.operator.status;

import io.fabric8.kubernetes.api.model.HasMetadata;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/** Events kept in memory instead of sent: "Warning IdleScaledDown ml/notebook: ..." per Event. */
public class RecordingEvents extends ConditionEvents {

    private final List<String> published = new ArrayList<>();

    public RecordingEvents() {
        super(null, Clock.systemUTC());
    }

    @Override
    public void publish(HasMetadata resource, String type, String reason, String message) {
        String namespace = resource.getMetadata().getNamespace();
        published.add(type + " " + reason + " " + (namespace == null ? "" : namespace + "/")
                + resource.getMetadata().getName() + ": " + message);
    }

    public List<String> published() {
        return List.copyOf(published);
    }

    /** The reasons of the Events on {@code name}, in order. */
    public List<String> reasonsOn(String name) {
        return published.stream().filter(e -> e.split(" ")[2].replaceFirst(".*/", "").equals(name + ":"))
                .map(e -> e.split(" ")[1]).toList();
    }
}
