package dev.finops.operator.config;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseSpec;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.HttpURLConnection;
import java.time.Clock;
import java.time.ZonedDateTime;
import org.jboss.logging.Logger;

/**
 * Gives up this replica's hold on the leader Lease, the way client-go releases on cancel: JOSDK's elector never
 * does (releaseOnCancel is off inside it), so without this a standby waits for the Lease to expire.
 */
@ApplicationScoped
public class LeaseRelease {

    private static final Logger LOG = Logger.getLogger(LeaseRelease.class);

    private final KubernetesClient client;
    private final LeaseHolder holder;
    private final Clock clock;

    public LeaseRelease(KubernetesClient client, LeaseHolder holder, Clock clock) {
        this.client = client;
        this.holder = holder;
        this.clock = clock;
    }

    /** Clears the holder if it is still us; true when the Lease was released by this call. */
    public boolean release() {
        Lease lease = client.leases().inNamespace(holder.namespace()).withName(holder.name()).get();
        LeaseSpec spec = lease == null ? null : lease.getSpec();
        if (spec == null || !holder.identity().equals(spec.getHolderIdentity())) {
            return false; // a standby took it already: never touch its hold
        }
        ZonedDateTime now = ZonedDateTime.now(clock);
        spec.setHolderIdentity(null);
        spec.setLeaseDurationSeconds(1);
        spec.setAcquireTime(now);
        spec.setRenewTime(now);
        try {
            // an update carries the resourceVersion read above: a Lease changed since is refused with 409
            client.resource(lease).update();
            LOG.infof("Released the Lease %s/%s held by %s", holder.namespace(), holder.name(), holder.identity());
            return true;
        } catch (KubernetesClientException e) {
            if (e.getCode() == HttpURLConnection.HTTP_CONFLICT) {
                return false; // taken by a standby between the read and the write
            }
            LOG.warnf(e, "Could not release the Lease %s/%s: a standby takes it when it expires",
                    holder.namespace(), holder.name());
            return false;
        }
    }
}
