package routes.send;

import routes.model.SendChunk;
import routes.model.SendChunk.Recipient;

/** One recipient of a chunk in work; the body of each split exchange. */
public record Delivery(ChunkRun run, Recipient recipient) {

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
