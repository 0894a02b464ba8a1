package routes.send;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.springframework.stereotype.Component;
import routes.aws.DeadLetterReasons;
import routes.model.MessageStatus;
import routes.model.SendChunk;
import routes.store.Ledger;
import routes.store.MessageQueries;

/**
 * Why a send chunk sits in the launch, send or transactional DLQ. SQS's redrive policy moved it without a
 * word after its last receive, but every receive that failed wrote the reason on the ledger row of the
 * recipient it failed on ({@code lastError}: the row went back to QUEUED, or FAILED on the last receive).
 * The reason names that recipient by its messageId, never by address.
 */
@Component
public class ChunkFailureReasons implements DeadLetterReasons {

    private static final Set<String> QUEUES = Set.of("launch", "send", "transactional");
    /** Rows a failed receive leaves behind; a row that went on to be sent is no longer the chunk's problem. */
    private static final Set<MessageStatus> UNSENT = EnumSet.of(MessageStatus.QUEUED, MessageStatus.SENDING, MessageStatus.FAILED);

    private final MessageQueries messages;
    private final ObjectMapper json;

    public ChunkFailureReasons(MessageQueries messages, ObjectMapper json) {
        this.messages = messages;
        this.json = json.copy().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    }

    @Override
    public boolean explains(String queue) {
        return QUEUES.contains(queue);
    }

    @Override
    public Optional<String> reasonOf(String body) {
        SendChunk chunk;
        try {
            chunk = json.readValue(body, SendChunk.class);
        } catch (JsonProcessingException e) {
            return Optional.of("not a send chunk: " + e.getOriginalMessage());
        }
        String what = chunk.chunk() == SendChunk.NO_CHUNK ? "one-recipient chunk"
                : "chunk " + chunk.chunk() + " of campaign " + chunk.campaignId();
        List<String> ids = chunk.recipients() == null ? List.of()
                : chunk.recipients().stream().map(SendChunk.Recipient::messageId).toList();
        List<Ledger.Entry> failed = messages.entries(ids).stream()
                .filter(row -> row.lastError() != null && UNSENT.contains(row.status())).toList();
        if (failed.isEmpty()) {
            return Optional.of(what + ": no recipient's row records an error; the chunk failed outside a recipient's "
                    + "send (DynamoDB or SQS unreachable, see the application log at that time)");
        }
        Ledger.Entry first = failed.get(0);
        String more = failed.size() > 1 ? " (" + (failed.size() - 1) + " more recipients with an error)" : "";
        return Optional.of(what + ": recipient " + first.messageId() + " " + first.status() + ": " + first.lastError() + more);
    }
}
