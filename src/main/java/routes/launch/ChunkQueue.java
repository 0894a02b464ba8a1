package routes.launch;

import java.util.ArrayList;
import java.util.List;
import org.springframework.stereotype.Component;
import routes.aws.AwsProperties;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.BatchResultErrorEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResponse;

/** The send queue, written with SendMessageBatch (up to 10 messages and one payload limit per call). */
@Component
public class ChunkQueue {

    static final int MAX_BATCH_ENTRIES = 10;
    private static final int ATTEMPTS = 3;

    private final SqsClient sqs;
    private final String queueName;
    private volatile String queueUrl;

    public ChunkQueue(SqsClient sqs, AwsProperties aws) {
        this.sqs = sqs;
        this.queueName = aws.queues().send();
    }

    /** Sends every message or throws: entries SQS refuses are retried, then reported. */
    public void send(List<String> messages) {
        List<SendMessageBatchRequestEntry> pending = new ArrayList<>();
        for (int i = 0; i < messages.size(); i++) {
            pending.add(SendMessageBatchRequestEntry.builder().id(Integer.toString(i)).messageBody(messages.get(i)).build());
        }
        for (int attempt = 1; !pending.isEmpty(); attempt++) {
            List<SendMessageBatchRequestEntry> batch = pending;
            SendMessageBatchResponse response = sqs.sendMessageBatch(b -> b.queueUrl(url()).entries(batch));
            if (response.failed().isEmpty()) {
                return;
            }
            if (attempt == ATTEMPTS) {
                BatchResultErrorEntry first = response.failed().get(0);
                throw new IllegalStateException("send queue refused " + response.failed().size()
                        + " chunk(s): " + first.code() + " " + first.message());
            }
            List<String> failed = response.failed().stream().map(BatchResultErrorEntry::id).toList();
            pending = batch.stream().filter(e -> failed.contains(e.id())).toList();
        }
    }

    private String url() {
        if (queueUrl == null) {
            queueUrl = sqs.getQueueUrl(b -> b.queueName(queueName)).queueUrl();
        }
        return queueUrl;
    }
}
