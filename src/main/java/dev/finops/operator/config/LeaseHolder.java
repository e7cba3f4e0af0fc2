package dev.finops.operator.config;

/** The leader-election Lease and the identity this replica holds it under. */
public record LeaseHolder(String namespace, String name, String identity) {
}
