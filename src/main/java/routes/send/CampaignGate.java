package routes.send;

import java.time.Clock;
import java.util.Optional;
import org.apache.camel.CamelContext;
import org.springframework.stereotype.Component;
import routes.model.CampaignStatus;
import routes.store.Campaigns;
import routes.store.RecentReads;

/**
 * Lets a recipient through only while its campaign may send. The status is read at most once per
 * {@code status-cache-ttl} (≤ 1 s) per campaign, so PAUSED or CANCELLED stops sending within a second.
 * A PAUSED campaign's recipients are deferred (sent again later as the chunk's remainder), a
 * CANCELLED one's dropped; so are recipients past this replica's 24-hour budget, and every recipient
 * while this replica has not yet joined the cluster's rate share ({@link SendRate#joined}), deferred.
 */
@Component
public class CampaignGate {

    private final Campaigns campaigns;
    private final SendRate sendRate;
    private final RecentReads<Optional<CampaignStatus>> statuses;

    public CampaignGate(Campaigns campaigns, SendRate sendRate, SendProperties properties, Clock clock) {
        this.campaigns = campaigns;
        this.sendRate = sendRate;
        this.statuses = new RecentReads<>(properties.statusCacheTtl(), clock);
    }

    public boolean admit(Delivery delivery) {
        if (!sendRate.dailyBudgetLeft() || !sendRate.joined()) {
            delivery.run().defer(delivery.recipient());
            return false;
        }
        if (delivery.campaignId() == null) {
            return true;
        }
        Optional<CampaignStatus> status = status(delivery.campaignId());
        if (status.isEmpty()) {
            return true;
        }
        switch (status.get()) {
            case PAUSED -> delivery.run().defer(delivery.recipient());
            case CANCELLED, REJECTED -> delivery.run().cancel();
            default -> {
                return true;
            }
        }
        return false;
    }

    /**
     * Asked again after every SES slot and before every SES call: a recipient may have waited for
     * its slot while its campaign was paused or cancelled, or while the application began to stop. True
     * when it must not be sent now (it has been deferred or dropped); when stopping, the recipient goes back
     * onto the queue with the chunk's remainder, so nobody is left claimed but unsent.
     */
    public boolean withholds(RecipientInWork work, CamelContext context) {
        Delivery delivery = work.delivery();
        if (context.isStopping()) {
            delivery.run().defer(delivery.recipient());
            return true;
        }
        return !admit(delivery);
    }

    /** The opposite of {@link #withholds}, for the filter in front of the claim. */
    public boolean clears(RecipientInWork work, CamelContext context) {
        return !withholds(work, context);
    }

    /** The campaign's status, at most {@code status-cache-ttl} old. */
    public Optional<CampaignStatus> status(String campaignId) {
        return statuses.get(campaignId, campaigns::status);
    }

    /** Drops the cached status, e.g. after this replica changed it. */
    public void forget(String campaignId) {
        statuses.forget(campaignId);
    }
}
