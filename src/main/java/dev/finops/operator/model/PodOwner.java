package dev.finops.operator.model;

/**
 * A pod's controller as its owner reference names it: what the pod claims, to be verified against the live owner
 * before anything acts on it.
 */
public record PodOwner(String apiVersion, String kind, String name, String uid) {
}
