package routes.feedback;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import routes.store.Campaigns;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/**
 * Campaign counters aggregated in memory and written in one update per campaign per flush (one item
 * cannot take a write per event). A replica that dies loses at most one flush interval of counts.
 */
@Component
public class FeedbackCounters {

    private static final Logger LOG = LoggerFactory.getLogger(FeedbackCounters.class);

    private final Campaigns campaigns;
    private final Map<String, Map<String, LongAdder>> pending = new ConcurrentHashMap<>();

    public FeedbackCounters(Campaigns campaigns) {
        this.campaigns = campaigns;
    }

    /** Counts the event under its counter name (e.g. {@code bounced} → campaign attribute {@code bouncedCount}). */
    public void count(RecipientEvent event) {
        if (event.campaignId() != null && !event.campaignId().isEmpty()) {
            pending.computeIfAbsent(event.campaignId(), id -> new ConcurrentHashMap<>())
                    .computeIfAbsent(counterOf(event.kind()), name -> new LongAdder()).increment();
        }
    }

    /**
     * Writes every pending delta; called by the flush timer and, in tests, directly. Adders are reset, never
     * removed, so a count racing with the flush lands in the next one; a failed write puts its deltas back.
     */
    public synchronized void flush() {
        pending.forEach((campaignId, counters) -> {
            Map<String, Long> deltas = new HashMap<>();
            counters.forEach((name, adder) -> {
                long delta = adder.sumThenReset();
                if (delta != 0) {
                    deltas.put(name, delta);
                }
            });
            try {
                campaigns.addCounters(campaignId, deltas);
            } catch (ConditionalCheckFailedException unknown) {
                LOG.info("Counters of unknown campaign {} dropped", campaignId);
                pending.remove(campaignId);
            } catch (RuntimeException e) {
                deltas.forEach((name, delta) -> counters.get(name).add(delta));
                throw e;
            }
        });
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
