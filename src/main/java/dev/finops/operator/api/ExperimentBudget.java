package dev.finops.operator.api;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/** The spend of one experiment, team or project (pods selected by labels) against a limit over a period. */
@Group(ExperimentBudget.GROUP)
@Version(ExperimentBudget.VERSION)
@Kind("ExperimentBudget")
@Plural("experimentbudgets")
@ShortNames("eb")
@Categories("finops")
@AdditionalPrinterColumn(name = "Team", jsonPath = ".spec.team", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Limit", jsonPath = ".spec.limit", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Spent", jsonPath = ".status.spent", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Used%", jsonPath = ".status.percentUsed", type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(name = "Forecast", jsonPath = ".status.forecast", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Phase", jsonPath = ".status.phase", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = AdditionalPrinterColumn.Type.DATE)
public class ExperimentBudget extends CustomResource<ExperimentBudgetSpec, ExperimentBudgetStatus> implements Namespaced {

    public static final String GROUP = "finops.dev";
    public static final String VERSION = "v1alpha1";
}
