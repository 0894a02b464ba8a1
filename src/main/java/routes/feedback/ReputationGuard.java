package routes.feedback;

import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import routes.model.CampaignStatus;
import routes.store.Campaigns;
import routes.store.EventLog;

/**
 * DESIGN §4 reputation guard, judged after each counter flush on the persisted counters every replica adds to.
 * A campaign: once {@code minSends} mails are counted since its last resume, a hard-bounce or complaint rate at or
 * above the threshold pauses it (one replica wins the pause and alerts). The account (every campaign and
 * transactional mail): at SES's review thresholds over {@code accountWindow}, an alert, once a day; it pauses
 * nothing (docs/feedback.md).
 */
@Component
public class ReputationGuard {

    /** The figures of a tripped guard: the alert's body. {@code scope} is campaign or account. */
    public record Alert(String scope, String campaignId, long sends, long bounces, long complaints, double bounceRate,
                        double complaintRate, double bounceThreshold, double complaintThreshold, String at) {

        /** The detail of the {@code campaign.paused} status event a campaign alert causes. */
        public Map<String, Object> pauseDetail() {
            Map<String, Object> detail = new LinkedHashMap<>();
            detail.put("reason", "reputation");
            detail.put("sends", sends);
            detail.put("bounces", bounces);
            detail.put("complaints", complaints);
            detail.put("bounceRate", bounceRate);
            detail.put("complaintRate", complaintRate);
            return detail;
        }
    }

    private static final Logger LOG = LoggerFactory.getLogger(ReputationGuard.class);
    private static final Set<CampaignStatus> PAUSABLE = EnumSet.of(CampaignStatus.SCHEDULED, CampaignStatus.LAUNCHING,
            CampaignStatus.SENDING, CampaignStatus.SENT);

    private final FeedbackProperties.Reputation limits;
    private final Campaigns campaigns;
    private final EventLog log;
    private final Clock clock;

    public ReputationGuard(FeedbackProperties feedback, Campaigns campaigns, EventLog log, Clock clock) {
        this.limits = feedback.reputation();
        this.campaigns = campaigns;
        this.log = log;
        this.clock = clock;
    }

    /**
     * Pauses the campaign when its rates since the last resume cross a threshold; the alert when this call
     * paused it, null otherwise. Sends are the larger of the send flow's count and SES's Send events.
     */
    public Alert judgeCampaign(String campaignId) {
        Campaigns.Reputation figures = campaigns.reputation(campaignId).orElse(null);
        if (figures == null || !PAUSABLE.contains(figures.status())) {
            return null;
        }
        long sends = Math.max(figures.sent(), figures.sesSent());
        Alert alert = alert("campaign", campaignId, sends, figures.bounced(), figures.complained(),
                limits.minSends(), limits.bounceRate(), limits.complaintRate());
        if (alert == null || !campaigns.transition(campaignId, PAUSABLE, CampaignStatus.PAUSED)) {
            return null;
        }
        LOG.warn("Campaign {} paused by the reputation guard: {} sends, {} bounces, {} complaints",
                campaignId, alert.sends(), alert.bounces(), alert.complaints());
        return alert;
    }

    /** The account alert when the account's figures cross SES's review thresholds, once a day; else null. */
    public Alert judgeAccount(AccountCounters.Figures figures) {
        Alert alert = alert("account", null, figures.sends(), figures.bounces(), figures.complaints(),
                limits.accountMinSends(), limits.accountBounceRate(), limits.accountComplaintRate());
        if (alert == null || !log.markAccountAlerted(LocalDate.now(clock.withZone(ZoneOffset.UTC)))) {
            return null;
        }
        LOG.warn("Account reputation at SES's review level over {}: {} sends, {} bounces, {} complaints",
                limits.accountWindow(), alert.sends(), alert.bounces(), alert.complaints());
        return alert;
    }

    private Alert alert(String scope, String campaignId, long sends, long bounces, long complaints, int minSends,
                        double bounceThreshold, double complaintThreshold) {
        if (sends < minSends) {
            return null;
        }
        double bounceRate = (double) bounces / sends;
        double complaintRate = (double) complaints / sends;
        if (bounceRate < bounceThreshold && complaintRate < complaintThreshold) {
            return null;
        }
        return new Alert(scope, campaignId, sends, bounces, complaints, bounceRate, complaintRate, bounceThreshold,
                complaintThreshold, clock.instant().toString());
    }
}
