package dev.finops.operator.validation;

import dev.finops.operator.model.InvalidFieldException;
import java.util.ArrayList;
import java.util.List;

/** Collects the violations of one spec; each check runs a parser and keeps its error against the field. */
public final class Violations {

    private final List<Violation> found = new ArrayList<>();

    public void check(String field, Runnable parse) {
        try {
            parse.run();
        } catch (InvalidFieldException e) {
            found.add(new Violation(e.field(), e.problem()));
        } catch (IllegalArgumentException e) {
            found.add(new Violation(field, e.getMessage()));
        }
    }

    public void add(String field, String message) {
        found.add(new Violation(field, message));
    }

    public List<Violation> list() {
        return List.copyOf(found);
    }
}
