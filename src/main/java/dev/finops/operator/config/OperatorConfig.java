package dev.finops.operator.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** The operator's own settings, under {@code finops.*} in application.properties or FINOPS_* env vars. */
@ConfigMapping(prefix = "finops")
public interface OperatorConfig {

    /** How often every budget and pool is recomputed, even when nothing in the cluster changed. */
    @WithDefault("30s")
    Duration passInterval();

    /**
     * How long a budget's ledger may go unwritten while only its exact micro-units moved (the displayed cents
     * did not): bounds the interval a pass recomputes and how long deleted pods must be remembered.
     */
    @WithDefault("5m")
    Duration ledgerMaxLag();

    /**
     * Cost is counted up to now minus this delay: a finished pod's end reaches the API server a moment after it
     * happened, and counting past it would charge time the pod did not run.
     */
    @WithDefault("15s")
    Duration accrualSettleDelay();

    /**
     * After an API outage (the API server or etcd not answering), how long the API server must have answered
     * again before ledgers move past where they stood before it: kubelets report the pods that ended meanwhile
     * once it answers (the kubelet retries its status updates every 10 s).
     */
    @WithDefault("30s")
    Duration accrualOutageHold();

    /** Namespace of the leader-election Lease; the operator's own namespace when empty. */
    Optional<String> leaseNamespace();

    Pricing pricing();

    ScaleTargets scaleTargets();

    Prometheus prometheus();

    /** Where the DCGM exporter's metrics are, for idle GPU detection. */
    interface Prometheus {

        /** Base URL of the Prometheus HTTP API, e.g. http://prometheus.monitoring:9090; idle detection is off without it. */
        Optional<String> url();

        /** A file holding a bearer token (re-read on every query, so rotated tokens work). */
        Optional<String> bearerTokenFile();

        /** A PEM file of the CA that signed Prometheus's certificate, for an https URL with a private CA. */
        Optional<String> tlsCaFile();

        /** Accept any certificate from Prometheus. Only for tests and throwaway clusters. */
        @WithDefault("false")
        boolean tlsInsecureSkipVerify();

        /** How long a query may take. */
        @WithDefault("10s")
        Duration timeout();

        /**
         * The most a reply may weigh (bytes): a larger one is refused unread (IdleDetectionAvailable=False,
         * MalformedReply). A 5,000-pod pool's reply is about 2 MB.
         */
        @WithDefault("8388608")
        long maxReplyBytes();

        /** How often Prometheus scrapes the DCGM exporter: the idle rules expect window / interval samples. */
        @WithDefault("30s")
        Duration scrapeInterval();

        /** The label carrying the pod's namespace: namespace, or exported_namespace behind some relabellings. */
        @WithDefault("namespace")
        String namespaceLabel();

        /** The label carrying the pod's name: pod, or exported_pod. */
        @WithDefault("pod")
        String podLabel();
    }

    /** What GpuPools with provider.scaleTargets may scale. */
    interface ScaleTargets {

        /**
         * Kinds GpuPools may scale through /scale besides Cluster API's MachineDeployment, MachinePool and
         * MachineSet (cluster.x-k8s.io), as {@code Kind.group} (e.g. {@code NodeGroup.nodes.example.com}). Writing
         * a GpuPool is then the right to scale every object of these kinds: list only node-group kinds.
         */
        Optional<List<String>> allowedKinds();
    }

    interface Pricing {

        /** Name of the ConfigMap whose {@code prices.csv} overrides the built-in catalog; none when empty. */
        Optional<String> configMap();

        /** Namespace of that ConfigMap; the operator's own namespace when empty. */
        Optional<String> namespace();
    }
}
