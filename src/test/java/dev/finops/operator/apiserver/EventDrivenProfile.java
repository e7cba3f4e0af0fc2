package dev.finops.operator.apiserver;

import java.util.Map;

/**
 * The operator against a real kube-apiserver with a pass interval far above any wait of the tests: whatever they
 * see happen within seconds was brought by an event, never by the periodic pass.
 */
public class EventDrivenProfile extends RealApiServerProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("finops.pass-interval", "10m", "finops.accrual-settle-delay", "2s");
    }
}
