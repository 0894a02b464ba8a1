package routes.send;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import routes.model.MessageStatus;
import routes.model.SendChunk;
import routes.store.Ledger;
import routes.store.Ledger.Claim;
import routes.store.Ledger.Claimed;

/**
 * Claims the recipient's ledger row right before its SES call, after its SES slot (so a crash
 * leaves only the rows of calls in flight ambiguous); only the claimer sends. A row taken back
 * from FAILED (campaign resend) leaves the campaign's failed count; one taken back from SOFT_BOUNCED
 * (the retry) is marked so its send is not counted as a second recipient sent.
 */
@Component
public class RecipientClaim {

    private static final Logger LOG = LoggerFactory.getLogger(RecipientClaim.class);

    private final Ledger ledger;
    private final SendCounters counters;
    private final ObjectMapper json;
    private final boolean resendAmbiguous;

    public RecipientClaim(Ledger ledger, SendCounters counters, ObjectMapper json, SendProperties properties) {
        this.ledger = ledger;
        this.counters = counters;
        this.json = json;
        this.resendAmbiguous = properties.onAmbiguous() == SendProperties.OnAmbiguous.RESEND;
    }

    /**
     * The recipient with its row claimed (and the status the claim took it back from, if any), or null
     * when another delivery has it: sent, or left SENDING under {@code on-ambiguous=skip}.
     */
    public Delivery claim(Delivery delivery) throws JsonProcessingException {
        List<MessageStatus> reclaimable = reclaimable(delivery.chunk());
        String variables = delivery.recipient().variables() == null ? null : json.writeValueAsString(delivery.recipient().variables());
        Claimed claimed = ledger.claim(delivery.chunk(), delivery.recipient(), variables, reclaimable);
        if (claimed.claim() == Claim.AMBIGUOUS) {
            LOG.warn("Message {} was left SENDING by an earlier attempt; skipped (on-ambiguous=skip)", delivery.messageId());
        } else if (claimed.claim() == Claim.DONE) {
            LOG.debug("Message {} already handled; skipped", delivery.messageId());
        }
        if (claimed.claim() != Claim.CLAIMED) {
            return null;
        }
        if (claimed.previous() == null || claimed.previous() == MessageStatus.QUEUED) {
            return delivery;
        }
        if (claimed.previous() == MessageStatus.FAILED) {
            counters.add(delivery.campaignId(), "failed", -1);
        }
        return delivery.reclaimed(claimed.previous());
    }

    /** The statuses a claim may take back in this chunk: its reclaim set, and SENDING under on-ambiguous=resend. */
    List<MessageStatus> reclaimable(SendChunk chunk) {
        List<MessageStatus> reclaimable = new ArrayList<>(chunk.reclaim() == null ? List.of() : chunk.reclaim());
        if (resendAmbiguous) {
            reclaimable.add(MessageStatus.SENDING);
        }
        return reclaimable;
    }
}
