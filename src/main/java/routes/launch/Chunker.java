package routes.launch;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Consumer;
import routes.model.SendChunk;

/**
 * Packs recipients into {@link SendChunk} JSON messages of at most N recipients and M bytes. Each
 * recipient is serialised once and spliced into the chunk's {@code recipients} array, so the size
 * limit is exact, not estimated. Chunk numbers depend only on the file, so a re-launch numbers alike.
 */
final class Chunker {

    /** One finished send-queue message. */
    record Encoded(int index, int recipients, int bytes, String json) {}

    /** Room for the chunk number, which the size check computes with chunk 0. */
    private static final int CHUNK_NUMBER_DIGITS = 10;
    private final ObjectMapper json;
    private final byte[] head;
    private final byte[] tail = "]}".getBytes(StandardCharsets.UTF_8);
    private final SendChunk envelope;
    private final int maxRecipients;
    private final int maxBytes;
    private final Consumer<Encoded> out;
    private final ByteArrayOutputStream body = new ByteArrayOutputStream(64 * 1024);
    private int count;
    private int index;

    Chunker(ObjectMapper json, SendChunk envelope, int maxRecipients, int maxBytes, Consumer<Encoded> out) {
        this.json = json;
        this.envelope = envelope;
        this.maxRecipients = maxRecipients;
        this.maxBytes = maxBytes;
        this.out = out;
        this.head = headOf(0);
    }

    void add(SendChunk.Recipient recipient) {
        byte[] bytes = write(recipient);
        int size = head.length + CHUNK_NUMBER_DIGITS + body.size() + (count == 0 ? 0 : 1) + bytes.length + tail.length;
        if (count > 0 && (count == maxRecipients || size > maxBytes)) {
            emit();
        }
        if (count > 0) {
            body.write(',');
        }
        body.writeBytes(bytes);
        count++;
    }

    /** Emits the last, partial chunk. @return the number of chunks */
    int finish() {
        if (count > 0) {
            emit();
        }
        return index;
    }

    private void emit() {
        ByteArrayOutputStream message = new ByteArrayOutputStream(head.length + body.size() + tail.length + 8);
        message.writeBytes(headOf(index));
        message.writeBytes(body.toByteArray());
        message.writeBytes(tail);
        out.accept(new Encoded(index, count, message.size(), message.toString(StandardCharsets.UTF_8)));
        index++;
        count = 0;
        body.reset();
    }

    /** The chunk's JSON up to and including the {@code [} of its empty recipients array. */
    private byte[] headOf(int chunk) {
        String empty = new String(write(new SendChunk(envelope.campaignId(), chunk, envelope.from(), envelope.replyTo(),
                envelope.configurationSet(), envelope.tags(), envelope.reclaim(), List.of())), StandardCharsets.UTF_8);
        if (!empty.endsWith("[]}")) {
            throw new IllegalStateException("SendChunk JSON must end with its recipients array");
        }
        return empty.substring(0, empty.length() - 2).getBytes(StandardCharsets.UTF_8);
    }

    private byte[] write(Object value) {
        try {
            return json.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
