package routes.feedback;

import java.time.Clock;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import routes.model.CampaignStatus;
import routes.model.StatusEvent;
import routes.store.Campaigns;

/**
 * DESIGN §4 reputation guard. Per campaign it keeps the outcomes seen since the oldest of the last
 * {@code window} Send events; once {@code minSends} sends are in the window, a hard-bounce rate or a
 * complaint rate at or above the threshold pauses the campaign. Each replica judges the events it
 * consumes (docs/feedback.md).
 */
@Component
public class ReputationGuard {

    /** The figures of a tripped guard: the alert's body. */
    public record Alert(String campaignId, int sends, int bounces, int complaints, double bounceRate,
                        double complaintRate, double bounceThreshold, double complaintThreshold, String pausedAt) {}

    private static final Logger LOG = LoggerFactory.getLogger(ReputationGuard.class);
    private static final Set<CampaignStatus> PAUSABLE = EnumSet.of(CampaignStatus.SCHEDULED, CampaignStatus.LAUNCHING,
            CampaignStatus.SENDING, CampaignStatus.SENT);

    private enum Outcome { SEND, BOUNCE, COMPLAINT }

    private final FeedbackProperties.Reputation limits;
    private final Campaigns campaigns;
    private final Clock clock;
    private final CampaignSummary summary;
    private final Map<String, Window> windows = new ConcurrentHashMap<>();

    public ReputationGuard(FeedbackProperties feedback, Campaigns campaigns, Clock clock, CampaignSummary summary) {
        this.summary = summary;
        this.limits = feedback.reputation();
        this.campaigns = campaigns;
        this.clock = clock;
    }

    /** Records the event's outcome; true when the campaign's window has just crossed a threshold. */
    public boolean tripped(RecipientEvent event) {
        Outcome outcome = switch (event.kind()) {
            case "Send" -> Outcome.SEND;
            case "Bounce.Permanent" -> Outcome.BOUNCE;
            case "Complaint" -> Outcome.COMPLAINT;
            default -> null;
        };
        if (outcome == null || event.campaignId() == null || event.campaignId().isEmpty()) {
            return false;
        }
        Window window = windows.computeIfAbsent(event.campaignId(), id -> new Window());
        synchronized (window) {
            window.add(outcome, limits.window());
            return !window.paused && window.sends >= limits.minSends()
                    && (window.rate(window.bounces) >= limits.bounceRate()
                    || window.rate(window.complaints) >= limits.complaintRate());
        }
    }

    /** Pauses the campaign; the alert when this call paused it, null when it was not in a pausable status. */
    public Alert pause(RecipientEvent event) {
        Window window = windows.get(event.campaignId());
        Alert alert;
        synchronized (window) {
            window.paused = true;
            alert = new Alert(event.campaignId(), window.sends, window.bounces, window.complaints,
                    window.rate(window.bounces), window.rate(window.complaints), limits.bounceRate(),
                    limits.complaintRate(), clock.instant().toString());
        }
        if (!campaigns.transition(event.campaignId(), PAUSABLE, CampaignStatus.PAUSED)) {
            return null;
        }
        LOG.warn("Campaign {} paused by the reputation guard: {} sends, {} bounces, {} complaints",
                alert.campaignId(), alert.sends(), alert.bounces(), alert.complaints());
        return alert;
    }

    /** The {@code campaign.paused} status event of an alert. */
    public StatusEvent pausedEvent(Alert alert) {
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("reason", "reputation");
        detail.put("sends", alert.sends());
        detail.put("bounces", alert.bounces());
        detail.put("complaints", alert.complaints());
        detail.put("bounceRate", alert.bounceRate());
        detail.put("complaintRate", alert.complaintRate());
        return summary.paused(alert.campaignId(), detail);
    }

    /** Outcomes since the oldest of the last N sends. */
    private static final class Window {
        private final Deque<Outcome> outcomes = new ArrayDeque<>();
        private int sends;
        private int bounces;
        private int complaints;
        private boolean paused;

        void add(Outcome outcome, int maxSends) {
            outcomes.addLast(outcome);
            adjust(outcome, 1);
            while (sends > maxSends) {
                adjust(outcomes.removeFirst(), -1);
            }
        }

        double rate(int count) {
            return sends == 0 ? 0 : (double) count / sends;
        }

        private void adjust(Outcome outcome, int delta) {
            switch (outcome) {
                case SEND -> sends += delta;
                case BOUNCE -> bounces += delta;
                case COMPLAINT -> complaints += delta;
            }
        }
    }
}
