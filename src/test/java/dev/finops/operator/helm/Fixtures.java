package dev.finops.operator.helm;

import dev.finops.operator.api.BudgetPeriod;
import dev.finops.operator.api.ExperimentBudget;
import dev.finops.operator.api.ExperimentBudgetSpec;
import dev.finops.operator.api.GpuPool;
import dev.finops.operator.api.GpuPoolSpec;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import java.util.Map;

/** Minimal valid custom resources for the chart tests. */
final class Fixtures {

    private Fixtures() {
    }

    /** A Total budget of 100 over the pods labelled team=&lt;name&gt; in its namespace. */
    static ExperimentBudget budget(String name, String namespace) {
        ExperimentBudget budget = new ExperimentBudget();
        budget.getMetadata().setName(name);
        budget.getMetadata().setNamespace(namespace);
        ExperimentBudgetSpec spec = new ExperimentBudgetSpec();
        spec.setTeam(name);
        spec.setSelector(new LabelSelectorBuilder().withMatchLabels(Map.of("team", name)).build());
        spec.setLimit(new IntOrString("100"));
        spec.setPeriod(BudgetPeriod.Total);
        budget.setSpec(spec);
        return budget;
    }

    /** A pool of the nodes labelled finops.dev/pool=&lt;name&gt;. */
    static GpuPool pool(String name) {
        GpuPool pool = new GpuPool();
        pool.getMetadata().setName(name);
        GpuPoolSpec spec = new GpuPoolSpec();
        spec.setNodeSelector(new LabelSelectorBuilder().withMatchLabels(Map.of("finops.dev/pool", name)).build());
        pool.setSpec(spec);
        return pool;
    }
}
