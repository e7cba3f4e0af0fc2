package dev.finops.operator.apiserver;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.List;
import java.util.Map;

/**
 * The operator as it runs in a cluster (server-side apply on), against a real kube-apiserver, with a short
 * pass interval.
 */
public class RealApiServerProfile implements QuarkusTestProfile {

    @Override
    public String getConfigProfile() {
        return "apiserver";
    }

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("finops.pass-interval", "1s");
    }

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(RealApiServerResource.class));
    }
}
