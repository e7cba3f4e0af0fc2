package dev.finops.operator.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LabelSelectorMatcherTest {

    private static final LabelSelector TEAM_VISION_NOT_EXEMPT = new LabelSelectorBuilder()
            .addToMatchLabels("team", "vision")
            .addNewMatchExpression().withKey("stage").withOperator("In").withValues("train", "eval").endMatchExpression()
            .addNewMatchExpression().withKey("finops.dev/exempt").withOperator("DoesNotExist").endMatchExpression()
            .build();

    @Test
    void matchesLabelsAndEveryExpression() {
        LabelSelectorMatcher matcher = LabelSelectorMatcher.compile("spec.selector", TEAM_VISION_NOT_EXEMPT);

        assertThat(matcher.test(Map.of("team", "vision", "stage", "train"))).isTrue();
        assertThat(matcher.test(Map.of("team", "vision", "stage", "serve"))).isFalse();
        assertThat(matcher.test(Map.of("team", "nlp", "stage", "train"))).isFalse();
        assertThat(matcher.test(Map.of("team", "vision", "stage", "eval", "finops.dev/exempt", "true"))).isFalse();
        assertThat(matcher.test(null)).isFalse();
    }

    @Test
    void notInAndExistsFollowKubernetesSemantics() {
        LabelSelectorMatcher matcher = LabelSelectorMatcher.compile("s", new LabelSelectorBuilder()
                .addNewMatchExpression().withKey("tier").withOperator("NotIn").withValues("gold").endMatchExpression()
                .addNewMatchExpression().withKey("team").withOperator("Exists").endMatchExpression()
                .build());

        assertThat(matcher.test(Map.of("team", "a"))).isTrue();
        assertThat(matcher.test(Map.of("team", "a", "tier", "silver"))).isTrue();
        assertThat(matcher.test(Map.of("team", "a", "tier", "gold"))).isFalse();
        assertThat(matcher.test(Map.of("tier", "silver"))).isFalse();
    }

    @Test
    void anEmptyOrMissingSelectorMatchesEverything() {
        assertThat(LabelSelectorMatcher.compile("s", null).test(Map.of("a", "b"))).isTrue();
        assertThat(LabelSelectorMatcher.compile("s", new LabelSelector()).test(Map.of())).isTrue();
    }

    @Test
    void namesTheFieldOfAnUnknownOperator() {
        LabelSelector selector = new LabelSelectorBuilder()
                .addNewMatchExpression().withKey("a").withOperator("Exists").endMatchExpression()
                .addNewMatchExpression().withKey("b").withOperator("Within").withValues("x").endMatchExpression()
                .build();

        assertThatThrownBy(() -> LabelSelectorMatcher.compile("spec.selector", selector))
                .isInstanceOfSatisfying(InvalidFieldException.class, e -> {
                    assertThat(e.field()).isEqualTo("spec.selector.matchExpressions[1].operator");
                    assertThat(e.problem()).isEqualTo("\"Within\" is not one of In, NotIn, Exists, DoesNotExist");
                });
    }

    @Test
    void rejectsValuesThatTheOperatorForbidsOrNeeds() {
        assertThatThrownBy(() -> LabelSelectorMatcher.compile("s", new LabelSelectorBuilder()
                .addNewMatchExpression().withKey("a").withOperator("In").endMatchExpression().build()))
                .hasMessage("s.matchExpressions[0].values must not be empty for operator In");
        assertThatThrownBy(() -> LabelSelectorMatcher.compile("s", new LabelSelectorBuilder()
                .addNewMatchExpression().withKey("a").withOperator("Exists").withValues("x").endMatchExpression()
                .build()))
                .hasMessage("s.matchExpressions[0].values must be empty for operator Exists");
    }

    @Test
    void rejectsMalformedKeysAndValues() {
        assertThatThrownBy(() -> LabelSelectorMatcher.compile("s",
                new LabelSelectorBuilder().addToMatchLabels("Bad_Prefix/key", "v").build()))
                .isInstanceOfSatisfying(InvalidFieldException.class,
                        e -> assertThat(e.field()).isEqualTo("s.matchLabels"));
        assertThatThrownBy(() -> LabelSelectorMatcher.compile("s",
                new LabelSelectorBuilder().addToMatchLabels("team", "vision!").build()))
                .isInstanceOfSatisfying(InvalidFieldException.class,
                        e -> assertThat(e.field()).isEqualTo("s.matchLabels[team]"));
        assertThatThrownBy(() -> LabelSelectorMatcher.compile("s",
                new LabelSelectorBuilder().addToMatchLabels("k".repeat(64), "v").build()))
                .isInstanceOf(InvalidFieldException.class);
    }
}
