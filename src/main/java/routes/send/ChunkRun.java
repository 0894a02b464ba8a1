package routes.send;

import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import routes.model.SendChunk;
import routes.model.SendChunk.Recipient;

/**
 * One delivery of a send-queue chunk in work: the recipients still to send after suppression, and
 * those that must wait for a later delivery (campaign paused, daily budget spent, account paused).
 */
public final class ChunkRun {

    private final SendChunk chunk;
    private final List<Delivery> deliveries;
    private final Queue<Recipient> deferred = new ConcurrentLinkedQueue<>();
    private volatile boolean cancelled;

    ChunkRun(SendChunk chunk, List<Recipient> toSend) {
        this.chunk = chunk;
        this.deliveries = toSend.stream().map(recipient -> new Delivery(this, recipient)).toList();
    }

    public SendChunk chunk() {
        return chunk;
    }

    /** What the split walks through. */
    public List<Delivery> getDeliveries() {
        return deliveries;
    }

    void defer(Recipient recipient) {
        deferred.add(recipient);
    }

    void cancel() {
        cancelled = true;
    }

    boolean cancelled() {
        return cancelled;
    }

    /** The chunk again with only the deferred recipients, or null when nothing waits. */
    SendChunk remainder() {
        if (cancelled || deferred.isEmpty()) {
            return null;
        }
        return chunk.withRecipients(List.copyOf(deferred));
    }
}
