package dev.finops.operator.apiserver;

import io.fabric8.kubernetes.client.Config;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.HashMap;
import java.util.Map;

/** Starts a real kube-apiserver with the CRDs installed and points the operator's client at it. */
public class RealApiServerResource implements QuarkusTestResourceLifecycleManager {

    private static RealApiServer api;

    /** The server of the running test, for assertions through its own client and kubectl. */
    public static RealApiServer api() {
        return api;
    }

    @Override
    public Map<String, String> start() {
        api = RealApiServer.start();
        api.installCrds();
        Config config = api.client().getConfiguration();
        Map<String, String> properties = new HashMap<>();
        properties.put("quarkus.kubernetes-client.api-server-url", config.getMasterUrl());
        put(properties, "ca-cert-data", config.getCaCertData());
        put(properties, "ca-cert-file", config.getCaCertFile());
        put(properties, "client-cert-data", config.getClientCertData());
        put(properties, "client-cert-file", config.getClientCertFile());
        put(properties, "client-key-data", config.getClientKeyData());
        put(properties, "client-key-file", config.getClientKeyFile());
        properties.put("quarkus.kubernetes-client.trust-certs", "false");
        return properties;
    }

    private static void put(Map<String, String> properties, String key, String value) {
        if (value != null) {
            properties.put("quarkus.kubernetes-client." + key, value);
        }
    }

    @Override
    public void stop() {
        if (api != null) {
            api.close();
            api = null;
        }
    }
}
