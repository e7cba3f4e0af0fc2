package dev.finops.operator.apiserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.finops.operator.Samples;
import dev.finops.operator.api.ExperimentBudget;
import dev.finops.operator.api.GpuPool;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The operator against a real kube-apiserver: status through server-side apply, real kubectl output. */
@QuarkusTest
@TestProfile(RealApiServerProfile.class)
class OperatorApiServerIT {

    private static final String NAMESPACE = "team-vision";

    @BeforeAll
    static void namespace() {
        client().resource(new NamespaceBuilder().withNewMetadata().withName(NAMESPACE).endMetadata().build())
                .serverSideApply();
    }

    @Test
    void observedGenerationFollowsSpecChanges() {
        ExperimentBudget budget = Samples.named(ExperimentBudget.class, "vision-team-monthly");
        budget.getMetadata().setNamespace(NAMESPACE);
        client().resource(budget).create();
        awaitObserved(budget, 1L);

        ExperimentBudget edited = client().resources(ExperimentBudget.class).inNamespace(NAMESPACE)
                .withName(budget.getMetadata().getName())
                .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"limit\":\"30000.50\"}}");

        assertThat(edited.getMetadata().getGeneration()).isEqualTo(2L);
        awaitObserved(budget, 2L);
    }

    @Test
    void statusIsWrittenWithServerSideApplyUnderTheOperatorsFieldManager() {
        GpuPool pool = Samples.named(GpuPool.class, "training-gpus");
        client().resource(pool).create();

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            GpuPool stored = client().resources(GpuPool.class).withName("training-gpus").get();
            assertThat(stored.getStatus()).isNotNull();
            List<ManagedFieldsEntry> managers = stored.getMetadata().getManagedFields();
            assertThat(managers).anySatisfy(entry -> {
                assertThat(entry.getManager()).isEqualTo("gpupool");
                assertThat(entry.getOperation()).isEqualTo("Apply");
                assertThat(entry.getSubresource()).isEqualTo("status");
            });
        });
    }

    @Test
    void kubectlGetPrintsTheDesignColumns() {
        ExperimentBudget budget = Samples.named(ExperimentBudget.class, "llm-sweep-42");
        budget.getMetadata().setNamespace(NAMESPACE);
        client().resource(budget).create();
        GpuPool pool = Samples.named(GpuPool.class, "inference-gpus");
        client().resource(pool).create();
        awaitObserved(budget, 1L);

        List<String> budgets = lines(api().kubectl("get", "eb", "-n", NAMESPACE, "llm-sweep-42"));
        assertThat(columns(budgets.get(0)))
                .containsExactly("NAME", "TEAM", "LIMIT", "SPENT", "USED%", "FORECAST", "PHASE", "AGE");
        assertThat(columns(budgets.get(1))).startsWith("llm-sweep-42", "nlp", "1200.50");
        assertThat(columns(budgets.get(1))).contains("Active");

        List<String> pools = lines(api().kubectl("get", "gp", "inference-gpus"));
        assertThat(columns(pools.get(0)))
                .containsExactly("NAME", "NODES", "SPOT", "GPUS", "ALLOCATED", "IDLE", "COST/H", "STRATEGY", "AGE");
        assertThat(columns(pools.get(1))).startsWith("inference-gpus").contains("ReservedFirst");

        String category = api().kubectl("get", "finops", "-A", "-o", "name");
        assertThat(lines(category)).contains("experimentbudget.finops.dev/llm-sweep-42", "gpupool.finops.dev/inference-gpus");
    }

    @Test
    void kubectlExplainPrintsTheFieldDescriptions() {
        String limit = api().kubectl("explain", "experimentbudget.spec.limit");
        assertThat(limit.replaceAll("\\s+", " "))
                .contains("The most this budget may spend per period, in spec.currency: a non-negative amount "
                        + "with at most 2 decimals, as an integer or a string");

        String strategy = api().kubectl("explain", "gpupool.spec.capacity.strategy");
        assertThat(strategy).contains("ReservedFirst", "SpotFirst", "OnDemandOnly", "SpotOnly");

        assertThat(api().kubectl("explain", "gpupool.spec.nodeShape.gpusPerNode").replaceAll("\\s+", " "))
                .contains("GPUs (nvidia.com/gpu) one node of the pool has. Wins over the catalog's figure for "
                        + "instanceType; set it for an instance type the catalog lacks.");
        assertThat(api().kubectl("explain", "gpupool.spec.provider.karpenter.nodePoolRoles.role")
                .replaceAll("\\s+", " ")).contains("The capacity this NodePool supplies: Spot, OnDemand (and "
                        + "reserved, unless another NodePool is Reserved), Reserved, or Any (every allowed capacity "
                        + "type; a single NodePool only).");
        assertThat(api().kubectl("explain", "gpupool.spec.provider.karpenter.nodePools").replaceAll("\\s+", " "))
                .contains("Deprecated: use nodePoolRoles.");
    }

    private static void awaitObserved(ExperimentBudget budget, long generation) {
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            ExperimentBudget stored = client().resources(ExperimentBudget.class).inNamespace(NAMESPACE)
                    .withName(budget.getMetadata().getName()).get();
            assertThat(stored.getStatus()).isNotNull();
            assertThat(stored.getStatus().getObservedGeneration()).isEqualTo(generation);
            assertThat(stored.getStatus().getConditions()).anySatisfy(c -> {
                assertThat(c.getType()).isEqualTo("Ready");
                assertThat(c.getStatus()).isEqualTo("True");
                assertThat(c.getObservedGeneration()).isEqualTo(generation);
            });
        });
    }

    private static List<String> lines(String output) {
        return output.lines().filter(line -> !line.isBlank()).toList();
    }

    private static List<String> columns(String line) {
        return Arrays.asList(line.trim().split("\\s+"));
    }

    private static RealApiServer api() {
        return RealApiServerResource.api();
    }

    private static KubernetesClient client() {
        return api().client();
    }
}
