package routes.status;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import routes.feedback.FeedbackProperties;
import routes.model.CampaignStatus;
import routes.model.MessageStatus;
import routes.model.StatusEvent;
import routes.store.Campaigns;
import routes.store.Ledger;

/**
 * SENT → COMPLETED once every message is settled (no row still waiting for its outcome) or
 * {@code completeAfter} (72 h) after SENT. The transition is conditional, so every replica may scan.
 */
@Component
public class CampaignCompletion {

    /** Rows whose outcome is still to come; a soft bounce waits for its retry. */
    static final Set<MessageStatus> UNSETTLED = EnumSet.of(MessageStatus.QUEUED, MessageStatus.SENDING,
            MessageStatus.SENT, MessageStatus.DELIVERY_DELAYED, MessageStatus.SOFT_BOUNCED);

    private static final Logger LOG = LoggerFactory.getLogger(CampaignCompletion.class);

    private final Campaigns campaigns;
    private final Ledger ledger;
    private final FeedbackProperties feedback;
    private final Clock clock;
    private final CampaignSummary summary;

    public CampaignCompletion(Campaigns campaigns, Ledger ledger, FeedbackProperties feedback, Clock clock,
                              CampaignSummary summary) {
        this.summary = summary;
        this.campaigns = campaigns;
        this.ledger = ledger;
        this.feedback = feedback;
        this.clock = clock;
    }

    /** Completes what is due; returns the {@code campaign.completed} events of the campaigns this call completed. */
    public List<StatusEvent> scan() {
        List<StatusEvent> completed = new ArrayList<>();
        Instant now = clock.instant();
        for (Campaigns.InStatus campaign : campaigns.inStatus(CampaignStatus.SENT)) {
            boolean expired = campaign.since() != null && campaign.since().plus(feedback.completeAfter()).isBefore(now);
            String reason = expired ? "expired" : ledger.countInStatus(campaign.campaignId(), UNSETTLED) == 0 ? "settled" : null;
            if (reason != null && campaigns.transition(campaign.campaignId(), Set.of(CampaignStatus.SENT), CampaignStatus.COMPLETED)) {
                LOG.info("Campaign {} completed ({})", campaign.campaignId(), reason);
                completed.add(summary.completed(campaign.campaignId(), reason));
            }
        }
        return completed;
    }
}
