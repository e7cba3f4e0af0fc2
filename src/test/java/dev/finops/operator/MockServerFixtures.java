package dev.finops.operator;

import dev.finops.operator.api.ExperimentBudget;
import dev.finops.operator.api.GpuPool;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.quarkus.test.kubernetes.client.KubernetesServer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Helpers shared by the mock-server tests of the reconcilers. */
public final class MockServerFixtures {

    private MockServerFixtures() {
    }

    /** Takes every request the mock server recorded so far. */
    public static List<RecordedRequest> drainRequests(KubernetesServer server) throws InterruptedException {
        List<RecordedRequest> requests = new ArrayList<>();
        RecordedRequest request;
        while ((request = server.getKubernetesMockServer().takeRequest(10, TimeUnit.MILLISECONDS)) != null) {
            requests.add(request);
        }
        return requests;
    }

    /** The requests that change something: anything but GET (list, get, watch). */
    public static List<String> writes(List<RecordedRequest> requests) {
        return requests.stream()
                .filter(r -> !"GET".equals(r.getMethod()))
                .map(r -> r.getMethod() + " " + r.getPath())
                .toList();
    }

    public static ExperimentBudget get(KubernetesClient client, ExperimentBudget budget) {
        return client.resources(ExperimentBudget.class).inNamespace(budget.getMetadata().getNamespace())
                .withName(budget.getMetadata().getName()).get();
    }

    public static GpuPool get(KubernetesClient client, GpuPool pool) {
        return client.resources(GpuPool.class).withName(pool.getMetadata().getName()).get();
    }
}
