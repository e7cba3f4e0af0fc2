package dev.finops.operator.validation;

/** A spec problem the schema cannot catch: the field's path and what to do about it. */
public record Violation(String field, String message) {

    @Override
    public String toString() {
        return field + ": " + message;
    }
}
