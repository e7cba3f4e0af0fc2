package dev.finops.operator.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** A cluster object whose replicas are set through its /scale subresource. */
public class ScaleTargetReference {

    @JsonPropertyDescription("API version of the target, e.g. cluster.x-k8s.io/v1beta1. Only Cluster API kinds "
            + "and the kinds the platform team allows (operator setting finops.scale-targets.allowed-kinds) are "
            + "scaled.")
    @Required
    @Size(min = 1, max = 253)
    private String apiVersion;

    @JsonPropertyDescription("Kind of the target: MachineDeployment, MachinePool or MachineSet of cluster.x-k8s.io, "
            + "or a kind the operator setting finops.scale-targets.allowed-kinds lists; it must have /scale.")
    @Required
    @Size(min = 1, max = 63)
    private String kind;

    @JsonPropertyDescription("Name of the target.")
    @Required
    @Pattern(Formats.OBJECT_NAME)
    @Size(max = 253)
    private String name;

    @JsonPropertyDescription("Namespace of the target (Cluster API objects are namespaced).")
    @Required
    @Size(min = 1, max = 63)
    private String namespace;

    public String getApiVersion() {
        return apiVersion;
    }

    public void setApiVersion(String apiVersion) {
        this.apiVersion = apiVersion;
    }

    public String getKind() {
        return kind;
    }

    public void setKind(String kind) {
        this.kind = kind;
    }

    public String getName() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }

    public String getNamespace() {
        return namespace;
    }

    public void setNamespace(String namespace) {
        this.namespace = namespace;
    }
}
