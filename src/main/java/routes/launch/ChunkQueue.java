package routes.launch;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.springframework.stereotype.Component;
import routes.aws.AwsProperties;
import routes.aws.QueueUrls;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.BatchResultErrorEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResponse;

/**
 * The launch queue (FIFO), written with SendMessageBatch (up to 10 messages and one payload limit per
 * call). Every chunk carries a deduplication id derived from campaign, launch and chunk number, so
 * SQS drops a chunk sent again within its five-minute deduplication interval: a launcher that died
 * between a batch and its progress record repeats the batch without enqueuing a chunk twice. Each
 * chunk is its own message group, so FIFO ordering never holds one chunk back behind another.
 */
@Component
public class ChunkQueue {

    /** One chunk to enqueue. */
    public record Chunk(String deduplicationId, String json) {

        /** The same id for the same chunk of the same launch, never for a later launch (a resend). */
        public static Chunk of(String campaignId, int launch, int chunk, String json) {
            String name = campaignId + "\n" + launch + "\n" + chunk;
            return new Chunk(UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8)).toString(), json);
        }
    }

    static final int MAX_BATCH_ENTRIES = 10;
    private static final int ATTEMPTS = 3;

    private final SqsClient sqs;
    private final QueueUrls urls;
    private final String queueName;

    public ChunkQueue(SqsClient sqs, QueueUrls urls, AwsProperties aws) {
        this.sqs = sqs;
        this.urls = urls;
        this.queueName = aws.queues().launch();
    }

    /** Sends every chunk or throws: entries SQS refuses are retried, then reported. */
    public void send(List<Chunk> chunks) {
        List<SendMessageBatchRequestEntry> pending = new ArrayList<>();
        for (int i = 0; i < chunks.size(); i++) {
            Chunk chunk = chunks.get(i);
            pending.add(SendMessageBatchRequestEntry.builder().id(Integer.toString(i)).messageBody(chunk.json())
                    .messageDeduplicationId(chunk.deduplicationId()).messageGroupId(chunk.deduplicationId()).build());
        }
        for (int attempt = 1; !pending.isEmpty(); attempt++) {
            List<SendMessageBatchRequestEntry> batch = pending;
            SendMessageBatchResponse response = sqs.sendMessageBatch(b -> b.queueUrl(url()).entries(batch));
            if (response.failed().isEmpty()) {
                return;
            }
            if (attempt == ATTEMPTS) {
                BatchResultErrorEntry first = response.failed().get(0);
                throw new IllegalStateException("launch queue refused " + response.failed().size()
                        + " chunk(s): " + first.code() + " " + first.message());
            }
            List<String> failed = response.failed().stream().map(BatchResultErrorEntry::id).toList();
            pending = batch.stream().filter(e -> failed.contains(e.id())).toList();
        }
    }

    private String url() {
        return urls.of(queueName);
    }
}
