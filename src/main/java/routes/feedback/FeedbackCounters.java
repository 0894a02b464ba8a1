package routes.feedback;

import jakarta.annotation.PreDestroy;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import routes.store.Campaigns;
import routes.store.CounterDeltas;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/**
 * Campaign counters aggregated in memory and written in one update per campaign per flush (one item
 * cannot take a write per event). A replica that dies loses at most one flush interval of counts.
 */
@Component
public class FeedbackCounters {

    private static final Logger LOG = LoggerFactory.getLogger(FeedbackCounters.class);

    private final CounterDeltas deltas;

    public FeedbackCounters(Campaigns campaigns) {
        this.deltas = new CounterDeltas(campaigns::addCounters);
    }

    /** Counts the event under its counter name (e.g. {@code bounced} → campaign attribute {@code bouncedCount}). */
    public void count(RecipientEvent event) {
        deltas.add(event.campaignId(), counterOf(event.kind()), 1);
    }

    /** On a graceful stop: else the last interval's counts were lost with every deployment. */
    @PreDestroy
    public void flushOnStop() {
        flush();
    }

    /** Writes every pending delta; returns the campaigns written (the reputation guard judges them next). */
    public synchronized List<String> flush() {
        List<String> written = new ArrayList<>();
        for (String campaignId : deltas.campaignIds()) {
            try {
                deltas.write(campaignId);
                written.add(campaignId);
            } catch (ConditionalCheckFailedException unknown) {
                LOG.info("Counters of unknown campaign {} dropped", campaignId);
                deltas.drop(campaignId);
            }
        }
        return written;
    }

    static String counterOf(String kind) {
        return switch (kind) {
            case "Send" -> "sesSent";
            case "Delivery" -> "delivered";
            case "Bounce.Permanent" -> "bounced";
            case "Bounce.Transient", "Bounce.Undetermined" -> "softBounced";
            case "Complaint" -> "complained";
            case "Reject" -> "rejected";
            case "Rendering Failure" -> "renderingFailed";
            case "DeliveryDelay" -> "delayed";
            case "Open" -> "opened";
            case "Click" -> "clicked";
            case "Subscription" -> "unsubscribed";
            case "Subscription.OptIn" -> "resubscribed";
            default -> "unknownEvents";
        };
    }
}
