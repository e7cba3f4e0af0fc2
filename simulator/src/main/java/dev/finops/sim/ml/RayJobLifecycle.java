package dev.finops.sim.ml;

import java.util.function.Supplier;

/**
 * One step of KubeRay v1.5.0's RayJob state machine ({@code jobDeploymentStatus}, rayjob_controller.go), as
 * far as the cluster's life goes: {@code New -> Initializing} (a RayCluster is named {@code <job>-xxxxx}
 * and created) {@code -> Running} once it is ready; {@code spec.suspend: true} takes {@code Initializing}
 * or {@code Running} to {@code Suspending} (the RayCluster is deleted) and, once it is gone, to
 * {@code Suspended} (cluster name cleared); {@code suspend: false} takes {@code Suspended} back to
 * {@code New}, so a new cluster is made. Validation runs first on every step, as upstream: a suspended RayJob
 * with {@code shutdownAfterJobFinishes: false} or a {@code clusterSelector} goes to {@code ValidationFailed}
 * and stays there, its cluster untouched. The Ray job itself (submitter Job, dashboard) is not simulated.
 */
final class RayJobLifecycle {

    enum Action { NONE, CREATE_CLUSTER, DELETE_CLUSTER }

    /**
     * What the controller reads: the RayJob's spec and status, and its cluster in the cache.
     * {@code clusterSelectorName} is null without a clusterSelector, else its {@code ray.io/cluster} value ("" if none).
     */
    record Observed(String name, boolean suspend, boolean shutdownAfterJobFinishes, String clusterSelectorName,
            boolean hasClusterSpec, String deploymentStatus, String clusterName, boolean clusterExists,
            boolean clusterReady) {
    }

    /** The status to write ({@code reason}/{@code message} only for ValidationFailed) and what to do first. */
    record Step(String deploymentStatus, String clusterName, Action action, String reason, String message) {

        static Step stay(Observed o, Action action) {
            return new Step(o.deploymentStatus(), o.clusterName(), action, null, null);
        }
    }

    static final String NEW = "New";
    static final String INITIALIZING = "Initializing";
    static final String RUNNING = "Running";
    static final String SUSPENDING = "Suspending";
    static final String SUSPENDED = "Suspended";
    static final String VALIDATION_FAILED = "ValidationFailed";
    /** KubeRay's {@code rand.String(5)} alphabet (k8s.io/apimachinery/pkg/util/rand). */
    static final String RAND_ALPHABET = "bcdfghjklmnpqrstvwxz2456789";

    private RayJobLifecycle() {
    }

    static Step step(Observed o, Supplier<String> randomSuffix) {
        String invalid = validationError(o);
        if (invalid != null) {
            return new Step(VALIDATION_FAILED, o.clusterName(), Action.NONE, "ValidationFailed", invalid);
        }
        String status = o.deploymentStatus() == null || o.deploymentStatus().isEmpty() ? NEW : o.deploymentStatus();
        return switch (status) {
            case NEW -> new Step(INITIALIZING, present(o.clusterName()) ? o.clusterName()
                    : present(o.clusterSelectorName()) ? o.clusterSelectorName() : o.name() + "-" + randomSuffix.get(),
                    Action.NONE, null, null);
            case INITIALIZING -> o.suspend() ? suspending(o)
                    : !o.clusterExists() && o.clusterSelectorName() == null ? Step.stay(o, Action.CREATE_CLUSTER)
                    : o.clusterReady() ? new Step(RUNNING, o.clusterName(), Action.NONE, null, null)
                    : Step.stay(o, Action.NONE);
            case RUNNING -> o.suspend() ? suspending(o) : Step.stay(o, Action.NONE);
            case SUSPENDING -> o.clusterExists() ? Step.stay(o, Action.DELETE_CLUSTER)
                    : new Step(SUSPENDED, null, Action.NONE, null, null);
            case SUSPENDED -> o.suspend() ? Step.stay(o, Action.NONE) : new Step(NEW, null, Action.NONE, null, null);
            // ValidationFailed, Complete, Failed: final (no case in upstream's switch either)
            default -> Step.stay(o, Action.NONE);
        };
    }

    private static boolean present(String s) {
        return s != null && !s.isEmpty();
    }

    private static Step suspending(Observed o) {
        return new Step(SUSPENDING, o.clusterName(), Action.NONE, null, null);
    }

    /** {@code ValidateRayJobSpec}'s rules that concern suspension and the cluster, with its messages. */
    static String validationError(Observed o) {
        if (o.suspend() && !o.shutdownAfterJobFinishes()) {
            return "The RayJob spec is invalid: a RayJob with shutdownAfterJobFinishes set to false is not allowed "
                    + "to be suspended";
        }
        if (o.suspend() && o.clusterSelectorName() != null) {
            return "The RayJob spec is invalid: the ClusterSelector mode doesn't support the suspend operation";
        }
        if (!o.hasClusterSpec() && o.clusterSelectorName() == null) {
            return "The RayJob spec is invalid: one of RayClusterSpec or ClusterSelector must be set";
        }
        return null;
    }
}
