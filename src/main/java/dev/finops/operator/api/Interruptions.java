package dev.finops.operator.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

public class Interruptions {

    @JsonPropertyDescription("Spot nodes interrupted in the last hour.")
    private Integer lastHour;

    @JsonPropertyDescription("RFC 3339 time until which the pool stays on on-demand; empty when no fallback.")
    private String fallbackUntil;

    public Integer getLastHour() {
        return lastHour;
    }

    public void setLastHour(Integer lastHour) {
        this.lastHour = lastHour;
    }

    public String getFallbackUntil() {
        return fallbackUntil;
    }

    public void setFallbackUntil(String fallbackUntil) {
        this.fallbackUntil = fallbackUntil;
    }
}
