package dev.finops.operator.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The label-selector matcher against an oracle written from the Kubernetes API reference (apimachinery's
 * labels.Selector and validation.IsQualifiedName / IsValidLabelValue), over thousands of generated selectors and
 * label sets: it matches exactly what the oracle matches, and refuses (with the field named) exactly what
 * Kubernetes would refuse, never with another exception.
 */
class LabelSelectorMatcherPropertiesTest {

    private static final Pattern DNS_SUBDOMAIN =
            Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
    private static final Pattern QUALIFIED_NAME = Pattern.compile("([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]");
    private static final List<String> KEYS = List.of("team", "app", "finops.dev/exempt", "example.com/tier", "A_b.c");
    private static final List<String> VALUES = List.of("", "x", "y", "vision", "a-b_c.d", "Z9");

    @Property(tries = 5000)
    void aValidSelectorMatchesExactlyTheLabelSetsTheOracleMatches(@ForAll("validSelectors") LabelSelector selector,
            @ForAll("labelSets") Map<String, String> labels) {
        LabelSelectorMatcher matcher = LabelSelectorMatcher.compile("spec.selector", selector);

        assertThat(matcher.test(labels)).as("%s on %s", selector, labels).isEqualTo(oracleMatches(selector, labels));
    }

    @Property(tries = 5000)
    void anySelectorCompilesExactlyWhenKubernetesWouldAcceptIt(@ForAll("anySelectors") LabelSelector selector) {
        boolean valid = oracleValid(selector);
        try {
            LabelSelectorMatcher.compile("spec.selector", selector);
            assertThat(valid).as("compiled %s, which Kubernetes refuses", selector).isTrue();
        } catch (InvalidFieldException refused) {
            assertThat(valid).as("refused %s (%s), which Kubernetes accepts", selector, refused.getMessage()).isFalse();
            assertThat(refused.field()).startsWith("spec.selector.match");
        }
    }

    private static boolean oracleMatches(LabelSelector selector, Map<String, String> labels) {
        boolean equalities = selector.getMatchLabels() == null || labels.entrySet().containsAll(
                selector.getMatchLabels().entrySet());
        return equalities && (selector.getMatchExpressions() == null || selector.getMatchExpressions().stream()
                .allMatch(requirement -> satisfies(requirement, labels)));
    }

    private static boolean satisfies(LabelSelectorRequirement requirement, Map<String, String> labels) {
        boolean has = labels.containsKey(requirement.getKey());
        boolean listed = has && requirement.getValues() != null
                && requirement.getValues().contains(labels.get(requirement.getKey()));
        return switch (requirement.getOperator()) {
            case "In" -> listed;
            case "NotIn" -> !listed;
            case "Exists" -> has;
            case "DoesNotExist" -> !has;
            default -> throw new AssertionError(requirement.getOperator());
        };
    }

    private static boolean oracleValid(LabelSelector selector) {
        if (selector.getMatchLabels() != null && !selector.getMatchLabels().entrySet().stream()
                .allMatch(e -> validKey(e.getKey()) && validValue(e.getValue()))) {
            return false;
        }
        return selector.getMatchExpressions() == null
                || selector.getMatchExpressions().stream().allMatch(LabelSelectorMatcherPropertiesTest::validRequirement);
    }

    private static boolean validRequirement(LabelSelectorRequirement requirement) {
        List<String> values = requirement.getValues() == null ? List.of() : requirement.getValues();
        if (!validKey(requirement.getKey()) || requirement.getOperator() == null) {
            return false;
        }
        return switch (requirement.getOperator()) {
            case "In", "NotIn" -> !values.isEmpty() && values.stream().allMatch(LabelSelectorMatcherPropertiesTest::validValue);
            case "Exists", "DoesNotExist" -> values.isEmpty();
            default -> false;
        };
    }

    /** validation.IsQualifiedName: [prefix/]name, the prefix a DNS-1123 subdomain. */
    private static boolean validKey(String key) {
        if (key == null) {
            return false;
        }
        String[] parts = key.split("/", -1);
        if (parts.length > 2) {
            return false;
        }
        String name = parts[parts.length - 1];
        if (parts.length == 2 && (parts[0].isEmpty() || parts[0].length() > 253
                || !DNS_SUBDOMAIN.matcher(parts[0]).matches())) {
            return false;
        }
        return !name.isEmpty() && name.length() <= 63 && QUALIFIED_NAME.matcher(name).matches();
    }

    /** validation.IsValidLabelValue: empty, or a qualified name of at most 63 characters. */
    private static boolean validValue(String value) {
        return value != null && (value.isEmpty() || value.length() <= 63 && QUALIFIED_NAME.matcher(value).matches());
    }

    @Provide
    Arbitrary<Map<String, String>> labelSets() {
        return Arbitraries.maps(Arbitraries.of(KEYS), Arbitraries.of(VALUES)).ofMaxSize(KEYS.size());
    }

    @Provide
    Arbitrary<LabelSelector> validSelectors() {
        Arbitrary<LabelSelectorRequirement> requirement = Combinators.combine(Arbitraries.of(KEYS),
                Arbitraries.of("In", "NotIn", "Exists", "DoesNotExist"),
                Arbitraries.of(VALUES).list().ofMinSize(1).ofMaxSize(3))
                .as((key, operator, values) -> new LabelSelectorRequirement(key, operator,
                        operator.endsWith("Exist") || operator.equals("Exists") ? List.of() : values));
        return selectors(Arbitraries.maps(Arbitraries.of(KEYS), Arbitraries.of(VALUES)).ofMaxSize(3),
                requirement.list().ofMaxSize(4));
    }

    @Provide
    Arbitrary<LabelSelector> anySelectors() {
        Arbitrary<String> text = Arbitraries.oneOf(Arbitraries.of(KEYS), Arbitraries.of(VALUES),
                Arbitraries.strings().withChars("aZ09-_./ ").ofMaxLength(12),
                Arbitraries.strings().withChars("ab.").ofMinLength(60).ofMaxLength(70),
                Arbitraries.strings().withChars("ab-").ofMinLength(250).ofMaxLength(256).map(p -> p + "/x"),
                Arbitraries.just(null));
        Arbitrary<List<String>> values = Arbitraries.oneOf(text.list().ofMaxSize(3), Arbitraries.just(null));
        Arbitrary<LabelSelectorRequirement> requirement = Combinators.combine(text,
                Arbitraries.of("In", "NotIn", "Exists", "DoesNotExist", "in", "Equals", ""), values)
                .as((key, operator, vals) -> new LabelSelectorRequirement(key, operator, vals));
        Arbitrary<Map<String, String>> labels = Combinators.combine(text.list().ofMaxSize(3),
                text.list().ofSize(3)).as((keys, vals) -> {
                    Map<String, String> map = new HashMap<>();
                    for (int i = 0; i < keys.size(); i++) {
                        map.put(keys.get(i), vals.get(i));
                    }
                    return map;
                });
        return selectors(Arbitraries.oneOf(labels, Arbitraries.just(null)),
                Arbitraries.oneOf(requirement.list().ofMaxSize(3), Arbitraries.just(null)));
    }

    private static Arbitrary<LabelSelector> selectors(Arbitrary<Map<String, String>> matchLabels,
            Arbitrary<List<LabelSelectorRequirement>> expressions) {
        return Combinators.combine(matchLabels, expressions).as((labels, requirements) -> {
            LabelSelector selector = new LabelSelector();
            selector.setMatchLabels(labels);
            selector.setMatchExpressions(requirements == null ? null : new ArrayList<>(requirements));
            return selector;
        });
    }
}
