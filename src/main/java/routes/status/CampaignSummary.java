package routes.status;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.springframework.stereotype.Component;
import routes.feedback.FeedbackCounters;
import routes.model.CampaignStatus;
import routes.model.StatusEvent;
import routes.store.Campaigns;

/**
 * The campaign summary events {@code campaign.completed} and {@code campaign.paused}: the counts of
 * seed 002's callback ({@code totalMessages, delivered, bounced, complained, opened, clicked}, plus
 * sent, failed, suppressed and unsubscribed) in {@code detail.summary}, with the reason.
 */
@Component
public class CampaignSummary {

    private static final String[] COUNTS = {"sent", "delivered", "bounced", "complained", "opened", "clicked",
            "failed", "suppressed", "unsubscribed"};

    private final Campaigns campaigns;
    private final FeedbackCounters counters;
    private final Clock clock;

    public CampaignSummary(Campaigns campaigns, FeedbackCounters counters, Clock clock) {
        this.campaigns = campaigns;
        this.counters = counters;
        this.clock = clock;
    }

    public StatusEvent completed(String campaignId, String reason) {
        return event("campaign.completed", CampaignStatus.COMPLETED, campaignId, Map.of("reason", reason));
    }

    /** {@code reason}: reputation, api, or the SES error that paused sending. */
    public StatusEvent paused(String campaignId, String reason) {
        return paused(campaignId, Map.of("reason", reason));
    }

    public StatusEvent paused(String campaignId, Map<String, Object> detail) {
        return event("campaign.paused", CampaignStatus.PAUSED, campaignId, detail);
    }

    private StatusEvent event(String type, CampaignStatus status, String campaignId, Map<String, Object> detail) {
        // The summary should include what this replica has counted but not yet written.
        counters.flush();
        Map<String, Long> counts = campaigns.find(campaignId).map(Campaigns.Campaign::counts).orElse(Map.of());
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("totalMessages", counts.getOrDefault("recipient", 0L));
        for (String name : COUNTS) {
            summary.put(name, counts.getOrDefault(name, 0L));
        }
        Map<String, Object> all = new LinkedHashMap<>(detail);
        all.put("summary", summary);
        return new StatusEvent(UUID.randomUUID().toString(), type, clock.instant().toString(), null, campaignId, null,
                status.name(), all, Map.of());
    }
}
