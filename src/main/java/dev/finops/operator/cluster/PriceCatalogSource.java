package dev.finops.operator.cluster;

import dev.finops.operator.config.OperatorConfig;
import dev.finops.operator.config.OperatorNamespace;
import dev.finops.operator.pricing.PriceCatalog;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * The prices in force: the built-in catalog overlaid with the price ConfigMap (key {@code prices.csv}, same
 * format), which is watched so edits apply without a restart. A ConfigMap that does not parse keeps the last
 * good prices and is reported, never silently dropped. The watch runs while a controller's event source
 * subscribes, and each change wakes everything it prices.
 */
@ApplicationScoped
public class PriceCatalogSource {

    public static final String CONFIG_MAP_KEY = "prices.csv";
    private static final Logger LOG = Logger.getLogger(PriceCatalogSource.class);

    private final KubernetesClient client;
    private final OperatorConfig config;
    private final PriceCatalog builtIn;
    private final AtomicLong version = new AtomicLong();
    private volatile PriceCatalog current;
    private volatile String problem;
    private SharedIndexInformer<ConfigMap> informer;

    public PriceCatalogSource(KubernetesClient client, OperatorConfig config) {
        this.client = client;
        this.config = config;
        this.builtIn = loadBuiltIn();
        this.current = builtIn;
    }

    /** The catalog shipped with the operator (src/main/resources/pricing/catalog.csv). */
    public static PriceCatalog loadBuiltIn() {
        try (InputStream in = PriceCatalogSource.class.getResourceAsStream("/pricing/catalog.csv")) {
            return PriceCatalog.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), "built-in catalog");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private final Subscribers<ClusterListener> subscribers = new Subscribers<>(this::start, this::stop);

    /** Lets an event source hear price changes; the first subscriber starts the ConfigMap's watch. */
    public void subscribe(ClusterListener listener) {
        subscribers.add(listener);
    }

    public void unsubscribe(ClusterListener listener) {
        subscribers.remove(listener);
    }

    private synchronized void start() {
        Optional<String> name = config.pricing().configMap();
        if (name.isPresent()) {
            String namespace = OperatorNamespace.resolve(config.pricing().namespace(), client);
            informer = client.configMaps().inNamespace(namespace).withName(name.get()).inform(new Handler(namespace));
        }
    }

    private synchronized void stop() {
        if (informer != null) {
            informer.close();
            informer = null;
        }
    }

    public PriceCatalog catalog() {
        return current;
    }

    /** Why the price ConfigMap is not in force, if it is not. */
    public Optional<String> problem() {
        return Optional.ofNullable(problem);
    }

    /** Bumps whenever the prices in force change. */
    public long version() {
        return version.get();
    }

    void apply(ConfigMap configMap, String namespace) {
        String csv = configMap == null || configMap.getData() == null ? null : configMap.getData().get(CONFIG_MAP_KEY);
        String where = "ConfigMap " + namespace + "/" + config.pricing().configMap().orElse("") + " key " + CONFIG_MAP_KEY;
        try {
            current = csv == null ? builtIn : builtIn.overlaidWith(PriceCatalog.parse(csv, where));
            problem = null;
            LOG.infof("Prices in force: %d instance types (%s)", current.size(), csv == null ? "built-in" : where);
        } catch (IllegalArgumentException e) {
            problem = e.getMessage() + "; the last good prices stay in force";
            LOG.warn(problem);
        }
        version.incrementAndGet();
        subscribers.notify(ClusterListener::pricesChanged);
    }

    private final class Handler implements ResourceEventHandler<ConfigMap> {

        private final String namespace;

        Handler(String namespace) {
            this.namespace = namespace;
        }

        @Override
        public void onAdd(ConfigMap configMap) {
            apply(configMap, namespace);
        }

        @Override
        public void onUpdate(ConfigMap before, ConfigMap after) {
            apply(after, namespace);
        }

        @Override
        public void onDelete(ConfigMap configMap, boolean finalStateUnknown) {
            apply(null, namespace);
        }
    }
}
