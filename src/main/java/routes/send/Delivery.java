package routes.send;

import routes.model.MessageStatus;
import routes.model.SendChunk;
import routes.model.SendChunk.Recipient;

/**
 * One recipient of a chunk in work; the body of each split exchange.
 *
 * @param reclaimedFrom the status the claim took the row back from (a resend's FAILED, a retry's
 *                      SOFT_BOUNCED), or null for a first claim or before the claim
 */
public record Delivery(ChunkRun run, Recipient recipient, MessageStatus reclaimedFrom) implements RecipientInWork {

    Delivery(ChunkRun run, Recipient recipient) {
        this(run, recipient, null);
    }

    /** This recipient after its claim took the row back from {@code previous}. */
    Delivery reclaimed(MessageStatus previous) {
        return new Delivery(run, recipient, previous);
    }

    @Override
    public Delivery delivery() {
        return this;
    }

    public SendChunk chunk() {
        return run.chunk();
    }

    public String campaignId() {
        return run.chunk().campaignId();
    }

    public String messageId() {
        return recipient.messageId();
    }
}
