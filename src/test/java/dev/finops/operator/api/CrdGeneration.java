package dev.finops.operator.api;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.crdv2.generator.CRDGenerator;
import io.fabric8.crdv2.generator.CRDPostProcessor;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.client.CustomResource;
import java.io.File;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Generates the CRDs from the Java model (run by the build at process-test-classes). The generator sorts
 * printer columns by JSON path; kubectl prints them in CRD order, so they are put back in the order the
 * {@link AdditionalPrinterColumn} annotations are declared.
 */
public final class CrdGeneration {

    static final List<Class<? extends CustomResource<?, ?>>> RESOURCES = List.of(ExperimentBudget.class, GpuPool.class);

    public static void main(String[] args) {
        File outputDir = new File(args.length > 0 ? args[0] : "target/generated-crds");
        outputDir.mkdirs();
        int written = new CRDGenerator()
                .customResourceClasses(List.copyOf(RESOURCES))
                .forCRDVersions("v1")
                .withPostProcessor(new DeclaredColumnOrder())
                .inOutputDir(outputDir)
                .generate();
        System.out.printf("Generated %d CRDs into %s%n", written, outputDir);
    }

    private static final class DeclaredColumnOrder implements CRDPostProcessor {

        @Override
        public HasMetadata process(HasMetadata crd, String crdSpecVersion) {
            CustomResourceDefinition definition = (CustomResourceDefinition) crd;
            String kind = definition.getSpec().getNames().getKind();
            Class<?> resource = RESOURCES.stream()
                    .filter(type -> type.getSimpleName().equals(kind))
                    .findFirst()
                    .orElseThrow();
            List<String> declared = Arrays.stream(resource.getAnnotationsByType(AdditionalPrinterColumn.class))
                    .map(AdditionalPrinterColumn::name)
                    .toList();
            for (CustomResourceDefinitionVersion version : definition.getSpec().getVersions()) {
                version.getAdditionalPrinterColumns()
                        .sort(Comparator.comparingInt((CustomResourceColumnDefinition c) -> declared.indexOf(c.getName())));
            }
            return crd;
        }
    }

    private CrdGeneration() {
    }
}
