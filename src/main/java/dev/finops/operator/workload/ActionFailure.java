package dev.finops.operator.workload;

import dev.finops.operator.model.WorkloadRef;
import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.StatusCause;
import io.fabric8.kubernetes.api.model.StatusDetails;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.InterruptedIOException;
import java.net.http.HttpTimeoutException;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * What went wrong when an action on one workload failed, in the words a platform team acts on: the one place that
 * turns an exception from the workload layer (the API server's refusal, a timeout, anything else) and the
 * operation attempted into a typed {@link Reason} and a message naming the missing verb and resource, e.g.
 * "grant patch on pytorchjobs.kubeflow.org". The failure is the workload's outcome; the pass goes on.
 *
 * @param reason what kind of failure, for the metric and for deciding whether to try again now
 * @param message the sentence for status and Events
 */
public record ActionFailure(Reason reason, String message) {

    /** The failure's kind; CamelCase, as a metric tag and in messages. */
    public enum Reason {
        /** 403: the operator's ServiceAccount lacks the right. */
        Forbidden,
        /** 404: the workload, or its API (no CRD served), is not there. */
        NotFound,
        /** 409: it changed since it was read; decided again next pass. */
        Conflict,
        /** 422 or 400: the API server refused the change as invalid (an admission webhook, a bad record). */
        Invalid,
        /** No answer in time. */
        Timeout,
        /** 5xx, 429: the API server could not do it now. */
        ServerError,
        /** Anything else the workload layer threw. */
        Unexpected
    }

    /** The operations on a workload, each with the verb its RBAC rule needs. */
    public enum Operation {
        Read("get", "read"), Stop("patch", "stop"), Restore("patch", "restore"), Wake("patch", "give back"),
        Mark("patch", "mark as resumed"), SearchRecords("list", "search the records on");

        private final String verb;
        private final String words;

        Operation(String verb, String words) {
            this.verb = verb;
            this.words = words;
        }

        public String verb() {
            return verb;
        }
    }

    /** The API server's own words for a refused verb: {@code cannot patch resource "deployments/scale"}. */
    private static final Pattern REFUSED = Pattern.compile("cannot (\\w+) resource \"([^\"]+)\"(?: in API group \"([^\"]*)\")?");

    /** The failure of {@code operation} on {@code ref}. */
    public static ActionFailure of(RuntimeException error, Operation operation, WorkloadRef ref) {
        if (error instanceof KubernetesClientException refused && refused.getCode() > 0) {
            return ofStatus(refused, operation, ref);
        }
        if (timedOut(error)) {
            return new ActionFailure(Reason.Timeout, "no answer from the API server in time to " + operation.words
                    + " " + ref.describe() + "; tried again next pass");
        }
        return new ActionFailure(Reason.Unexpected, "could not " + operation.words + " " + ref.describe() + ": "
                + error.getClass().getSimpleName() + (error.getMessage() == null ? "" : ": " + error.getMessage()));
    }

    /**
     * The failure of the search for the workloads that carry an owner's record in {@code namespace} (every
     * namespace when null): lists and watches of the kinds a record can be on.
     */
    public static ActionFailure ofSearch(RuntimeException error, String namespace) {
        String where = namespace == null ? "all namespaces" : "namespace " + namespace;
        if (error instanceof KubernetesClientException refused && refused.getCode() == 403) {
            Matcher named = REFUSED.matcher(said(refused));
            String which = named.find() ? named.group(1) + " on " + named.group(2) + (named.group(3) == null
                    || named.group(3).isEmpty() ? "" : "." + named.group(3)) : "list and watch on the workload kinds";
            return new ActionFailure(Reason.Forbidden, "the operator may not search the workloads carrying its "
                    + "restore records in " + where + ": grant " + which + " (and list, watch on every kind it stops)");
        }
        ActionFailure failure = of(error, Operation.SearchRecords, new WorkloadRef(null, "workloads", namespace == null
                ? "*" : namespace, "*"));
        return new ActionFailure(failure.reason(), "cannot search the workloads carrying its restore records in "
                + where + ": " + failure.message());
    }

    private static ActionFailure ofStatus(KubernetesClientException e, Operation operation, WorkloadRef ref) {
        int code = e.getCode();
        String said = said(e);
        return switch (code) {
            case 403 -> new ActionFailure(Reason.Forbidden, forbidden(e, operation, ref));
            case 404 -> new ActionFailure(Reason.NotFound, ref.describe() + " or its API " + ref.apiVersion()
                    + " is not served (" + said + "); install its CRD or remove the workload");
            case 409 -> new ActionFailure(Reason.Conflict, ref.describe() + " changed while the operator tried to "
                    + operation.words + " it; decided again next pass");
            case 400, 422 -> new ActionFailure(Reason.Invalid, "the API server refused to " + operation.words + " "
                    + ref.describe() + " as invalid: " + causes(e.getStatus(), said)
                    + "; fix or remove the finops.dev/ annotations on it");
            default -> new ActionFailure(code >= 500 || code == 429 ? Reason.ServerError : Reason.Unexpected,
                    "the API server answered HTTP " + code + " to " + operation.verb + " " + resource(e, ref) + " "
                            + ref.name() + " (" + said + "); tried again next pass");
        };
    }

    /** "grant patch on pytorchjobs.kubeflow.org", with the verb and resource the API server names when it does. */
    private static String forbidden(KubernetesClientException e, Operation operation, WorkloadRef ref) {
        Matcher refused = REFUSED.matcher(said(e));
        String verb = operation.verb;
        String resource = resource(e, ref);
        if (refused.find()) {
            verb = refused.group(1);
            String group = refused.group(3);
            resource = refused.group(2) + (group == null || group.isEmpty() ? "" : "." + group);
            int slash = refused.group(2).indexOf('/');
            if (slash > 0 && group != null && !group.isEmpty()) {
                // deployments/scale in apps: deployments.apps/scale, as RBAC rules name it
                resource = refused.group(2).substring(0, slash) + "." + group + refused.group(2).substring(slash);
            }
        }
        return "the operator may not " + operation.words + " " + ref.describe() + ": grant " + verb + " on "
                + resource + " in namespace " + ref.namespace() + " to its ServiceAccount";
    }

    /** The resource as RBAC names it ({@code plural.group}): from the refusal's details, else from the reference. */
    private static String resource(KubernetesClientException e, WorkloadRef ref) {
        StatusDetails details = e.getStatus() == null ? null : e.getStatus().getDetails();
        String plural = details != null && details.getKind() != null ? details.getKind() : e.getResourcePlural();
        String group = details != null && details.getGroup() != null ? details.getGroup() : e.getGroup();
        if (plural == null) {
            plural = ref.kind().toLowerCase(Locale.ROOT) + "s";
        }
        if (group == null) {
            String apiVersion = ref.apiVersion() == null ? "" : ref.apiVersion();
            group = apiVersion.contains("/") ? apiVersion.substring(0, apiVersion.indexOf('/')) : "";
        }
        return group.isEmpty() ? plural : plural + "." + group;
    }

    private static String said(KubernetesClientException e) {
        Status status = e.getStatus();
        String message = status != null && status.getMessage() != null ? status.getMessage() : e.getMessage();
        return message == null ? "HTTP " + e.getCode() : message;
    }

    private static String causes(Status status, String said) {
        List<StatusCause> causes = status == null || status.getDetails() == null ? List.of()
                : status.getDetails().getCauses();
        if (causes == null || causes.isEmpty()) {
            return said;
        }
        return causes.stream().map(c -> (c.getField() == null ? "" : c.getField() + ": ") + c.getMessage())
                .collect(Collectors.joining("; "));
    }

    private static boolean timedOut(Throwable error) {
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            if (cause instanceof TimeoutException || cause instanceof InterruptedIOException
                    || cause instanceof HttpTimeoutException) {
                return true; // SocketTimeoutException is an InterruptedIOException
            }
        }
        return false;
    }
}
