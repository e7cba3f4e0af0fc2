package dev.finops.operator.model;

/** A parse error that knows which spec field it is about. */
public class InvalidFieldException extends IllegalArgumentException {

    private final String field;
    private final String problem;

    public InvalidFieldException(String field, String problem) {
        super(field + " " + problem);
        this.field = field;
        this.problem = problem;
    }

    public String field() {
        return field;
    }

    public String problem() {
        return problem;
    }
}
