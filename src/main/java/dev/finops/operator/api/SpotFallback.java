package dev.finops.operator.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;

public class SpotFallback {

    @JsonPropertyDescription("Spot node interruptions in the pool within a sliding hour above which the pool falls "
            + "back to on-demand capacity.")
    @Min(0)
    @Max(1000)
    @Default("3")
    private Integer maxInterruptionsPerHour = 3;

    @JsonPropertyDescription("How long the pool stays on on-demand after the fallback, as a duration, e.g. 30m.")
    @Pattern(Formats.DURATION)
    @Default("30m")
    private String cooldown = "30m";

    public Integer getMaxInterruptionsPerHour() {
        return maxInterruptionsPerHour;
    }

    public void setMaxInterruptionsPerHour(Integer maxInterruptionsPerHour) {
        this.maxInterruptionsPerHour = maxInterruptionsPerHour;
    }

    public String getCooldown() {
        return cooldown;
    }

    public void setCooldown(String cooldown) {
        this.cooldown = cooldown;
    }
}
