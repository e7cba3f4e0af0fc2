package dev.finops.operator.helm;

import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import java.util.ArrayList;
import java.util.List;

/** One rule of a rendered ClusterRole or Role, with where it applies ("cluster" or the Role's namespace). */
record RbacRule(String scope, List<String> apiGroups, List<String> resources, List<String> verbs,
        List<String> resourceNames, List<String> nonResourceUrls) {

    static final String CLUSTER = "cluster";

    static List<RbacRule> of(RenderedManifests manifests) {
        List<RbacRule> rules = new ArrayList<>();
        for (ClusterRole role : manifests.ofKind("ClusterRole", ClusterRole.class)) {
            role.getRules().forEach(rule -> rules.add(of(CLUSTER, rule)));
        }
        for (Role role : manifests.ofKind("Role", Role.class)) {
            role.getRules().forEach(rule -> rules.add(of(role.getMetadata().getNamespace(), rule)));
        }
        return rules;
    }

    private static RbacRule of(String scope, PolicyRule rule) {
        return new RbacRule(scope, rule.getApiGroups(), rule.getResources(), rule.getVerbs(), rule.getResourceNames(),
                rule.getNonResourceURLs());
    }

    boolean covers(String group, String resource) {
        return apiGroups.contains(group) && resources.contains(resource);
    }

    boolean hasWildcard() {
        return List.of(apiGroups, resources, verbs, resourceNames).stream().anyMatch(values -> values.stream()
                .anyMatch(value -> value.contains("*")));
    }

    @Override
    public String toString() {
        return scope + ": " + apiGroups + " " + resources + " " + verbs + (resourceNames.isEmpty() ? "" : " " + resourceNames);
    }
}
