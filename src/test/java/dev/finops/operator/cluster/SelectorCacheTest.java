package dev.finops.operator.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SelectorCacheTest {

    private final Map<String, LabelSelector> selectors = new HashMap<>();
    private final SelectorCache<Pod> cache = new SelectorCache<>("spec.selector",
            primary -> selectors.get(primary.getMetadata().getName()));

    @Test
    void aSelectorIsCompiledOncePerGenerationAndANewGenerationIsHeard() {
        selectors.put("b", new LabelSelectorBuilder().addToMatchLabels("experiment", "one").build());
        assertThat(cache.matches(primary("b", 1L), Map.of("experiment", "one"))).isTrue();

        selectors.put("b", new LabelSelectorBuilder().addToMatchLabels("experiment", "two").build());
        assertThat(cache.matches(primary("b", 1L), Map.of("experiment", "two")))
                .as("same generation: the compiled selector stands").isFalse();
        assertThat(cache.matches(primary("b", 2L), Map.of("experiment", "two"))).isTrue();
        assertThat(cache.matches(primary("b", 2L), Map.of("experiment", "one"))).isFalse();
    }

    @Test
    void aSelectorThatDoesNotCompileMatchesNothing() {
        selectors.put("bad", new LabelSelectorBuilder().addNewMatchExpression().withKey("experiment")
                .withOperator("Near").withValues("one").endMatchExpression().build());
        assertThat(cache.matches(primary("bad", 1L), Map.of("experiment", "one"))).isFalse();
    }

    @Test
    void aForgottenPrimaryIsCompiledAgain() {
        selectors.put("b", new LabelSelectorBuilder().addToMatchLabels("experiment", "one").build());
        assertThat(cache.matches(primary("b", 1L), Map.of("experiment", "one"))).isTrue();
        cache.forget(primary("b", 1L));
        selectors.put("b", new LabelSelectorBuilder().addToMatchLabels("experiment", "two").build());
        assertThat(cache.matches(primary("b", 1L), Map.of("experiment", "two"))).isTrue();
    }

    private static Pod primary(String name, Long generation) {
        return new PodBuilder().withNewMetadata().withName(name).withUid("uid-" + name).withGeneration(generation)
                .endMetadata().build();
    }
}
