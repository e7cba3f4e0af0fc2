package dev.finops.sim.ml;

import static dev.finops.sim.ml.RayJobLifecycle.Action.CREATE_CLUSTER;
import static dev.finops.sim.ml.RayJobLifecycle.Action.DELETE_CLUSTER;
import static dev.finops.sim.ml.RayJobLifecycle.Action.NONE;
import static org.assertj.core.api.Assertions.assertThat;

import dev.finops.sim.ml.RayJobLifecycle.Observed;
import dev.finops.sim.ml.RayJobLifecycle.Step;
import org.junit.jupiter.api.Test;

class RayJobLifecycleTest {

    private static Observed job(boolean suspend, String status, String cluster, boolean exists, boolean ready) {
        return new Observed("tune", suspend, true, null, true, status, cluster, exists, ready);
    }

    private static Step step(Observed o) {
        return RayJobLifecycle.step(o, () -> "x7k2p");
    }

    @Test
    void aRayJobGetsItsClusterRunsIsSuspendedAndResumesOnANewCluster() {
        assertThat(step(job(false, null, null, false, false)))
                .isEqualTo(new Step("Initializing", "tune-x7k2p", NONE, null, null));
        assertThat(step(job(false, "Initializing", "tune-x7k2p", false, false)))
                .isEqualTo(new Step("Initializing", "tune-x7k2p", CREATE_CLUSTER, null, null));
        assertThat(step(job(false, "Initializing", "tune-x7k2p", true, false)))
                .isEqualTo(new Step("Initializing", "tune-x7k2p", NONE, null, null));
        assertThat(step(job(false, "Initializing", "tune-x7k2p", true, true)))
                .isEqualTo(new Step("Running", "tune-x7k2p", NONE, null, null));
        assertThat(step(job(true, "Running", "tune-x7k2p", true, true)))
                .isEqualTo(new Step("Suspending", "tune-x7k2p", NONE, null, null));
        assertThat(step(job(true, "Suspending", "tune-x7k2p", true, true)))
                .isEqualTo(new Step("Suspending", "tune-x7k2p", DELETE_CLUSTER, null, null));
        assertThat(step(job(true, "Suspending", "tune-x7k2p", false, false)))
                .isEqualTo(new Step("Suspended", null, NONE, null, null));
        assertThat(step(job(true, "Suspended", null, false, false)))
                .isEqualTo(new Step("Suspended", null, NONE, null, null));
        assertThat(step(job(false, "Suspended", null, false, false)))
                .isEqualTo(new Step("New", null, NONE, null, null));
    }

    @Test
    void unsuspendingWhileSuspendingStillDeletesTheCluster() {
        assertThat(step(job(false, "Suspending", "tune-x7k2p", true, true)).action()).isEqualTo(DELETE_CLUSTER);
    }

    @Test
    void aRayJobCreatedSuspendedNeverGetsACluster() {
        assertThat(step(job(true, "Initializing", "tune-x7k2p", false, false)))
                .isEqualTo(new Step("Suspending", "tune-x7k2p", NONE, null, null));
    }

    @Test
    void suspendingWithoutShutdownAfterJobFinishesFailsValidationAndLeavesTheClusterRunning() {
        Observed o = new Observed("tune", true, false, null, true, "Running", "tune-x7k2p", true, true);

        assertThat(step(o)).isEqualTo(new Step("ValidationFailed", "tune-x7k2p", NONE, "ValidationFailed",
                "The RayJob spec is invalid: a RayJob with shutdownAfterJobFinishes set to false is not allowed to "
                        + "be suspended"));
        Observed unsuspended = new Observed("tune", false, false, null, true, "ValidationFailed", "tune-x7k2p", true, true);
        assertThat(step(unsuspended)).as("final: undoing the suspend does not bring it back")
                .isEqualTo(new Step("ValidationFailed", "tune-x7k2p", NONE, null, null));
    }

    @Test
    void suspendingAJobOnAnExistingClusterFailsValidation() {
        Observed o = new Observed("tune", true, true, "shared", false, "Running", "shared", true, true);

        assertThat(step(o).message())
                .isEqualTo("The RayJob spec is invalid: the ClusterSelector mode doesn't support the suspend operation");
    }

    @Test
    void aJobOnAnExistingClusterUsesItsNameAndCreatesNone() {
        Observed o = new Observed("tune", false, true, "shared", false, null, null, false, false);

        assertThat(step(o)).isEqualTo(new Step("Initializing", "shared", NONE, null, null));
        assertThat(step(new Observed("tune", false, true, "shared", false, "Initializing", "shared", false, false))
                .action()).isEqualTo(NONE);
    }
}
