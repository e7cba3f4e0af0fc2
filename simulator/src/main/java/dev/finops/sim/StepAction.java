package dev.finops.sim;

/** What a scenario step does; returns a short description of what happened, for the event line. */
@FunctionalInterface
public interface StepAction {

    String run(StepContext context) throws Exception;
}
