package dev.finops.operator.model;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * A compiled Kubernetes LabelSelector. {@link #compile} checks what the API server would check for a built-in
 * selector (operators, values, label syntax) and names the offending field, so a budget with a broken
 * selector is reported instead of silently matching nothing.
 */
public final class LabelSelectorMatcher implements Predicate<Map<String, String>> {

    private static final Pattern NAME = Pattern.compile("^([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)$");
    private static final Pattern PREFIX = Pattern.compile("^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$");

    private final Map<String, String> matchLabels;
    private final List<Predicate<Map<String, String>>> expressions;

    private LabelSelectorMatcher(Map<String, String> matchLabels, List<Predicate<Map<String, String>>> expressions) {
        this.matchLabels = matchLabels;
        this.expressions = expressions;
    }

    /**
     * @param field the selector's path in the spec, used in error messages
     * @throws InvalidFieldException naming the field when the selector is malformed
     */
    public static LabelSelectorMatcher compile(String field, LabelSelector selector) {
        if (selector == null) {
            return new LabelSelectorMatcher(Map.of(), List.of());
        }
        Map<String, String> given = selector.getMatchLabels() == null ? Map.of() : selector.getMatchLabels();
        given.forEach((key, value) -> {
            checkKey(field + ".matchLabels", key);
            checkValue(field + ".matchLabels[" + key + "]", value);
        });
        Map<String, String> labels = Map.copyOf(given);
        List<Predicate<Map<String, String>>> expressions = new ArrayList<>();
        List<LabelSelectorRequirement> requirements =
                selector.getMatchExpressions() == null ? List.of() : selector.getMatchExpressions();
        for (int i = 0; i < requirements.size(); i++) {
            expressions.add(compile(field + ".matchExpressions[" + i + "]", requirements.get(i)));
        }
        return new LabelSelectorMatcher(labels, List.copyOf(expressions));
    }

    @Override
    public boolean test(Map<String, String> labels) {
        Map<String, String> actual = labels == null ? Map.of() : labels;
        for (Map.Entry<String, String> required : matchLabels.entrySet()) {
            if (!required.getValue().equals(actual.get(required.getKey()))) {
                return false;
            }
        }
        for (Predicate<Map<String, String>> expression : expressions) {
            if (!expression.test(actual)) {
                return false;
            }
        }
        return true;
    }

    /** The equality requirements, which callers can use as an index key. */
    public Map<String, String> matchLabels() {
        return matchLabels;
    }

    private static Predicate<Map<String, String>> compile(String field, LabelSelectorRequirement requirement) {
        String key = requirement.getKey();
        checkKey(field + ".key", key);
        List<String> values = requirement.getValues() == null ? List.of() : requirement.getValues();
        String operator = requirement.getOperator() == null ? "" : requirement.getOperator();
        switch (operator) {
            case "In", "NotIn" -> {
                if (values.isEmpty()) {
                    throw new InvalidFieldException(field + ".values", "must not be empty for operator " + operator);
                }
                values.forEach(v -> checkValue(field + ".values", v));
            }
            case "Exists", "DoesNotExist" -> {
                if (!values.isEmpty()) {
                    throw new InvalidFieldException(field + ".values", "must be empty for operator " + operator);
                }
            }
            default -> throw new InvalidFieldException(
                    field + ".operator", "\"" + operator + "\" is not one of In, NotIn, Exists, DoesNotExist");
        }
        Set<String> allowed = Set.copyOf(values);
        return switch (operator) {
            case "In" -> labels -> labels.containsKey(key) && allowed.contains(labels.get(key));
            case "NotIn" -> labels -> !labels.containsKey(key) || !allowed.contains(labels.get(key));
            case "Exists" -> labels -> labels.containsKey(key);
            default -> labels -> !labels.containsKey(key);
        };
    }

    private static void checkKey(String field, String key) {
        if (key == null || key.isEmpty()) {
            throw new InvalidFieldException(field, "must not be empty");
        }
        int slash = key.indexOf('/');
        String name = slash < 0 ? key : key.substring(slash + 1);
        if (slash >= 0) {
            String prefix = key.substring(0, slash);
            if (prefix.isEmpty() || prefix.length() > 253 || !PREFIX.matcher(prefix).matches()) {
                throw new InvalidFieldException(field, "\"" + key + "\" has an invalid prefix; it must be a "
                        + "DNS subdomain such as example.com");
            }
        }
        if (name.isEmpty() || name.length() > 63 || !NAME.matcher(name).matches()) {
            throw new InvalidFieldException(field, "\"" + key + "\" is not a valid label key: at most 63 "
                    + "alphanumeric characters, '-', '_' or '.', starting and ending with an alphanumeric");
        }
    }

    private static void checkValue(String field, String value) {
        if (value == null) {
            throw new InvalidFieldException(field, "must be a string (an empty one matches an empty label value)");
        }
        if (value.isEmpty()) {
            return;
        }
        if (value.length() > 63 || !NAME.matcher(value).matches()) {
            throw new InvalidFieldException(field, "\"" + value + "\" is not a valid label value: at most 63 "
                    + "alphanumeric characters, '-', '_' or '.', starting and ending with an alphanumeric");
        }
    }
}
