package dev.finops.operator.apiserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.finops.operator.Samples;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.NonNamespaceOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceList;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The CRD schemas (OpenAPI and CEL) as a real kube-apiserver enforces them. */
class CrdValidationApiServerIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String NAMESPACE = "default";
    private static RealApiServer api;

    @BeforeAll
    static void startApiServer() {
        api = RealApiServer.start();
        api.installCrds();
    }

    @AfterAll
    static void stopApiServer() {
        api.close();
    }

    @Test
    void everySampleIsAccepted() {
        for (Path sample : Samples.files()) {
            ObjectNode resource = read(sample);
            GenericKubernetesResource created = resources(resource).resource(generic(resource)).create();
            assertThat(created.getMetadata().getGeneration()).as(sample.toString()).isEqualTo(1L);
        }
    }

    @Test
    void defaultsAreFilledInByTheApiServer() {
        ObjectNode budget = JSON.createObjectNode();
        budget.put("apiVersion", "finops.dev/v1alpha1").put("kind", "ExperimentBudget");
        budget.putObject("metadata").put("name", "minimal");
        ObjectNode spec = budget.putObject("spec");
        spec.putObject("selector");
        spec.put("limit", 100);

        GenericKubernetesResource created = resources(budget).resource(generic(budget)).create();

        JsonNode stored = JSON.valueToTree(created.getAdditionalProperties().get("spec"));
        assertThat(stored.get("period").asText()).isEqualTo("Monthly");
        assertThat(stored.get("currency").asText()).isEqualTo("USD");
        assertThat(stored.get("timeZone").asText()).isEqualTo("UTC");
        assertThat(stored.get("alerts").toString()).isEqualTo("[50,80,100]");
        assertThat(stored.get("forecastAlert").asBoolean()).isTrue();
        assertThat(stored.get("enforcement").toString())
                .isEqualTo("{\"action\":\"None\",\"dryRun\":false,\"gracePeriod\":\"0s\",\"restoreOnReset\":true}");

        ObjectNode pool = JSON.createObjectNode();
        pool.put("apiVersion", "finops.dev/v1alpha1").put("kind", "GpuPool");
        pool.putObject("metadata").put("name", "minimal");
        pool.putObject("spec").putObject("nodeSelector");
        JsonNode poolSpec = JSON.valueToTree(resources(pool).resource(generic(pool)).create()
                .getAdditionalProperties().get("spec"));
        assertThat(poolSpec.at("/capacity/strategy").asText()).isEqualTo("ReservedFirst");
        assertThat(poolSpec.at("/idle/window").asText()).isEqualTo("30m");
        assertThat(poolSpec.at("/idle/thresholdPercent").asInt()).isEqualTo(5);
        assertThat(poolSpec.at("/idle/metric").asText()).isEqualTo("DCGM_FI_PROF_GR_ENGINE_ACTIVE");
        assertThat(poolSpec.at("/idle/action").asText()).isEqualTo("Report");
    }

    @Test
    void aPoolNamingOnlyItsInstanceTypeAndAPoolInTheOlderKarpenterFormAreAccepted() {
        ObjectNode byShape = read(Samples.DIR.resolve("gpupool-cluster-api.yaml"));
        ((ObjectNode) byShape.get("metadata")).put("name", "shape-only");
        ObjectNode spec = (ObjectNode) byShape.get("spec");
        spec.remove("pricing");
        spec.putObject("nodeShape").put("instanceType", "g6e.12xlarge");
        JsonNode stored = JSON.valueToTree(resources(byShape).resource(generic(byShape)).create()
                .getAdditionalProperties().get("spec"));
        assertThat(stored.at("/nodeShape").toString()).isEqualTo("{\"instanceType\":\"g6e.12xlarge\"}");

        ObjectNode old = read(Samples.DIR.resolve("gpupool-karpenter.yaml"));
        ((ObjectNode) old.get("metadata")).put("name", "older-karpenter-form");
        ObjectNode karpenter = (ObjectNode) old.at("/spec/provider/karpenter");
        karpenter.remove("nodePoolRoles");
        karpenter.putArray("nodePools").add("gpu-spot").add("gpu-on-demand");
        ((ObjectNode) old.get("spec")).remove("nodeShape");
        JsonNode oldStored = JSON.valueToTree(resources(old).resource(generic(old)).create()
                .getAdditionalProperties().get("spec"));
        assertThat(oldStored.at("/provider/karpenter").toString())
                .isEqualTo("{\"nodePools\":[\"gpu-spot\",\"gpu-on-demand\"]}");
    }

    static Stream<Arguments> invalidSpecs() {
        String eb = "experimentbudget-experiment-total-suspend.yaml";
        String gpk = "gpupool-karpenter.yaml";
        String gps = "gpupool-cluster-api.yaml";
        return Stream.of(
                // ExperimentBudget
                Arguments.of(eb, "/spec/limit", "-5", "spec.limit", "must be a non-negative amount"),
                Arguments.of(eb, "/spec/limit", "\"12.345\"", "spec.limit", "at most 2 decimals"),
                Arguments.of(eb, "/spec/limit", "\"lots\"", "spec.limit", "must be a non-negative amount"),
                Arguments.of(eb, "/spec/limit", "\"-1\"", "spec.limit", "must be a non-negative amount"),
                Arguments.of(eb, "/spec/limit", null, "spec.limit", "Required value"),
                Arguments.of(eb, "/spec/selector", null, "spec.selector", "Required value"),
                Arguments.of(eb, "/spec/period", "\"Yearly\"", "spec.period", "Unsupported value: \"Yearly\""),
                Arguments.of(eb, "/spec/currency", "\"usd\"", "spec.currency", "should match '^[A-Z]{3}$'"),
                Arguments.of(eb, "/spec/alerts", "[80, 50]", "spec.alerts", "must be strictly ascending"),
                Arguments.of(eb, "/spec/alerts", "[50, 50, 100]", "spec.alerts", "must be strictly ascending"),
                Arguments.of(eb, "/spec/alerts", "[0, 50]", "spec.alerts", "within 1..1000 percent"),
                Arguments.of(eb, "/spec/alerts", "[50, 1001]", "spec.alerts", "within 1..1000 percent"),
                Arguments.of(eb, "/spec/alerts", "[1,2,3,4,5,6,7,8,9,10,11]", "spec.alerts", "must have at most 10 items"),
                Arguments.of(eb, "/spec/enforcement/action", "\"Delete\"", "spec.enforcement.action",
                        "Unsupported value: \"Delete\""),
                Arguments.of(eb, "/spec/enforcement/gracePeriod", "\"15 minutes\"", "spec.enforcement.gracePeriod",
                        "should match"),
                Arguments.of(eb, "/spec/team", "\"" + "t".repeat(64) + "\"", "spec.team",
                        "may not be more than 63 bytes"),
                Arguments.of(eb, "/spec/timeZone", "\"\"", "spec.timeZone", "should be at least 1 chars long"),
                // GpuPool capacity
                Arguments.of(gpk, "/spec/capacity/minNodes", "20", "spec.capacity",
                        "spec.capacity.maxNodes must be greater than or equal to spec.capacity.minNodes"),
                Arguments.of(gpk, "/spec/capacity/reservedNodes", "17", "spec.capacity",
                        "spec.capacity.reservedNodes must not exceed spec.capacity.maxNodes"),
                Arguments.of(gpk, "/spec/capacity/maxSpotPercent", "101", "spec.capacity.maxSpotPercent",
                        "should be less than or equal to 100"),
                Arguments.of(gpk, "/spec/capacity/maxSpotPercent", "-1", "spec.capacity.maxSpotPercent",
                        "should be greater than or equal to 0"),
                Arguments.of(gpk, "/spec/capacity/strategy", "\"SpotOnly\"", "spec.capacity",
                        "spec.capacity.strategy SpotOnly needs spec.capacity.maxSpotPercent 100"),
                Arguments.of(gpk, "/spec/capacity/strategy", "\"Cheapest\"", "spec.capacity.strategy",
                        "Unsupported value: \"Cheapest\""),
                Arguments.of(gpk, "/spec/capacity/minNodes", "-1", "spec.capacity.minNodes",
                        "should be greater than or equal to 0"),
                Arguments.of(gpk, "/spec/capacity/maxNodes", null, "spec",
                        "spec.capacity.maxNodes is required when spec.provider manages capacity"),
                Arguments.of(gpk, "/spec/capacity/spotFallback/cooldown", "\"soon\"",
                        "spec.capacity.spotFallback.cooldown", "should match"),
                Arguments.of(gpk, "/spec/capacity/spotFallback/maxInterruptionsPerHour", "-1",
                        "spec.capacity.spotFallback.maxInterruptionsPerHour", "should be greater than or equal to 0"),
                // GpuPool provider
                Arguments.of(gpk, "/spec/provider/scaleTargets", "{\"spot\": {\"apiVersion\": \"v1\", "
                        + "\"kind\": \"X\", \"name\": \"x\", \"namespace\": \"ns\"}}", "spec.provider",
                        "spec.provider: set at most one of karpenter, scaleTargets"),
                Arguments.of(gpk, "/spec/provider/karpenter", "{\"nodePools\": []}",
                        "spec.provider.karpenter.nodePools", "should have at least 1 items"),
                Arguments.of(gpk, "/spec/provider/karpenter", "{\"nodePools\": [\"Bad_Name\"]}",
                        "spec.provider.karpenter.nodePools[0]", "should match"),
                Arguments.of(gpk, "/spec/provider/karpenter", "{\"nodePools\": [\"a\", \"a\"]}",
                        "spec.provider.karpenter.nodePools", "spec.provider.karpenter.nodePools must not repeat a name"),
                Arguments.of(gpk, "/spec/provider/karpenter", "{}", "spec.provider.karpenter",
                        "spec.provider.karpenter needs nodePoolRoles (or the older nodePools), not both"),
                Arguments.of(gpk, "/spec/provider/karpenter/nodePools", "[\"gpu-spot\"]", "spec.provider.karpenter",
                        "spec.provider.karpenter needs nodePoolRoles (or the older nodePools), not both"),
                Arguments.of(gpk, "/spec/provider/karpenter/nodePoolRoles", "[]",
                        "spec.provider.karpenter.nodePoolRoles", "should have at least 1 items"),
                Arguments.of(gpk, "/spec/provider/karpenter/nodePoolRoles", "[{\"name\": \"a\", \"role\": "
                        + "\"Spot\"}, {\"name\": \"a\", \"role\": \"OnDemand\"}]",
                        "spec.provider.karpenter.nodePoolRoles",
                        "spec.provider.karpenter.nodePoolRoles must not repeat a name"),
                Arguments.of(gpk, "/spec/provider/karpenter/nodePoolRoles", "[{\"name\": \"a\", \"role\": "
                        + "\"Any\"}, {\"name\": \"b\", \"role\": \"Spot\"}]",
                        "spec.provider.karpenter.nodePoolRoles", "spec.provider.karpenter.nodePoolRoles: role Any "
                                + "is for a single NodePool; give each of several NodePools Spot, OnDemand or Reserved"),
                Arguments.of(gpk, "/spec/provider/karpenter/nodePoolRoles", "[{\"name\": \"a\", \"role\": "
                        + "\"Cheap\"}]", "spec.provider.karpenter.nodePoolRoles[0].role",
                        "Unsupported value: \"Cheap\": supported values: \"Any\", \"OnDemand\", \"Reserved\", \"Spot\""),
                Arguments.of(gpk, "/spec/provider/karpenter/nodePoolRoles", "[{\"name\": \"a\"}]",
                        "spec.provider.karpenter.nodePoolRoles[0].role", "Required value"),
                Arguments.of(gpk, "/spec/provider/karpenter/nodePoolRoles", "[{\"name\": \"Bad_Name\", "
                        + "\"role\": \"Spot\"}]", "spec.provider.karpenter.nodePoolRoles[0].name", "should match"),
                // GpuPool node shape
                Arguments.of(gpk, "/spec/nodeShape", "{}", "spec.nodeShape",
                        "spec.nodeShape needs instanceType, gpusPerNode or both"),
                Arguments.of(gpk, "/spec/nodeShape/gpusPerNode", "0", "spec.nodeShape.gpusPerNode",
                        "should be greater than or equal to 1"),
                Arguments.of(gpk, "/spec/nodeShape/gpusPerNode", "65", "spec.nodeShape.gpusPerNode",
                        "should be less than or equal to 64"),
                Arguments.of(gpk, "/spec/nodeShape/instanceType", "\"\"", "spec.nodeShape.instanceType",
                        "should be at least 1 chars long"),
                // GpuPool scale targets
                Arguments.of(gps, "/spec/provider/scaleTargets/spot/namespace", null,
                        "spec.provider.scaleTargets.spot.namespace", "Required value"),
                Arguments.of(gps, "/spec/provider/scaleTargets/onDemand/namespace", "\"\"",
                        "spec.provider.scaleTargets.onDemand.namespace", "should be at least 1 chars long"),
                Arguments.of(gps, "/spec/provider/scaleTargets", "{}", "spec.provider.scaleTargets",
                        "needs spot, onDemand or both"),
                Arguments.of(gps, "/spec/provider/scaleTargets/spot/name", null, "spec.provider.scaleTargets.spot.name",
                        "Required value"),
                // GpuPool idle, pricing, selector
                Arguments.of(gpk, "/spec/idle/thresholdPercent", "101", "spec.idle.thresholdPercent",
                        "should be less than or equal to 100"),
                Arguments.of(gpk, "/spec/idle/window", "\"30 minutes\"", "spec.idle.window", "should match"),
                Arguments.of(gpk, "/spec/idle/metric", "\"GPU_UTIL\"", "spec.idle.metric",
                        "Unsupported value: \"GPU_UTIL\""),
                Arguments.of(gpk, "/spec/idle/action", "\"Delete\"", "spec.idle.action", "Unsupported value"),
                Arguments.of(gps, "/spec/pricing", "{\"instanceType\": \"g6e.12xlarge\"}", "spec.pricing",
                        "spec.pricing needs at least one of onDemandPerHour, spotPerHour, reservedPerHour; to state "
                                + "only the instance type of the pool's nodes, write spec.nodeShape.instanceType"),
                Arguments.of(gps, "/spec/pricing/spotPerHour", "\"4.1234567\"", "spec.pricing.spotPerHour",
                        "should match"),
                Arguments.of(gps, "/spec/pricing/onDemandPerHour", "\"-3\"", "spec.pricing.onDemandPerHour",
                        "should match"),
                Arguments.of(gps, "/spec/nodeSelector", null, "spec.nodeSelector", "Required value"));
    }

    @ParameterizedTest(name = "{0} {1}={2} is rejected on {3}")
    @MethodSource("invalidSpecs")
    void anInvalidSpecIsRejectedNamingTheField(String sample, String pointer, String value, String field,
            String message) {
        ObjectNode resource = read(Samples.DIR.resolve(sample));
        ((ObjectNode) resource.get("metadata")).put("name", "invalid-" + Math.abs((pointer + value).hashCode()));
        mutate(resource, pointer, value);

        assertThatThrownBy(() -> resources(resource).resource(generic(resource)).create())
                .isInstanceOfSatisfying(KubernetesClientException.class, e -> {
                    assertThat(e.getCode()).isEqualTo(422);
                    assertThat(e.getMessage()).contains(field + ": ").contains(message);
                });
    }

    private static void mutate(ObjectNode resource, String pointer, String value) {
        JsonPointer path = JsonPointer.compile(pointer);
        ObjectNode parent = (ObjectNode) resource.at(path.head());
        String property = path.last().getMatchingProperty();
        if (value == null) {
            parent.remove(property);
        } else {
            try {
                parent.set(property, JSON.readTree(value));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private static NonNamespaceOperation<GenericKubernetesResource, GenericKubernetesResourceList,
            Resource<GenericKubernetesResource>> resources(ObjectNode resource) {
        String kind = resource.get("kind").asText();
        var resources = api.client().genericKubernetesResources(resource.get("apiVersion").asText(), kind);
        return kind.equals("GpuPool") ? resources : resources.inNamespace(NAMESPACE);
    }

    private static GenericKubernetesResource generic(ObjectNode resource) {
        return JSON.convertValue(resource, GenericKubernetesResource.class);
    }

    private static ObjectNode read(Path file) {
        try {
            return (ObjectNode) new ObjectMapper(new com.fasterxml.jackson.dataformat.yaml.YAMLFactory())
                    .readTree(Files.readString(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
