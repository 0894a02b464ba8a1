package routes.feedback;

import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import routes.aws.AwsProperties;
import routes.aws.QueueUrls;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * Builds the analytics files from the lines spooled on the analytics queue: up to {@code analyticsBatchSize}
 * lines per file, and a line leaves the queue only once the file holding it is in S3. A replica that dies
 * mid-file loses nothing: its lines become visible again and go into a later file (at most once more).
 */
@Component
public class AnalyticsSpool {

    private static final Logger LOG = LoggerFactory.getLogger(AnalyticsSpool.class);
    private static final int SQS_BATCH = 10;

    private final SqsClient sqs;
    private final QueueUrls urls;
    private final String queueName;
    private final AnalyticsWriter writer;
    private final int batchSize;

    public AnalyticsSpool(SqsClient sqs, QueueUrls urls, AwsProperties aws, AnalyticsWriter writer,
                          FeedbackProperties feedback) {
        this.sqs = sqs;
        this.urls = urls;
        this.queueName = aws.queues().analytics();
        this.writer = writer;
        this.batchSize = feedback.analyticsBatchSize();
    }

    /** Writes files until the queue holds less than a full one; returns the number of lines written. */
    public synchronized int writeFiles() {
        int written = 0;
        List<Message> batch;
        do {
            batch = receive();
            if (!batch.isEmpty()) {
                writer.write(batch.stream().map(Message::body).toList());
                delete(batch);
                written += batch.size();
            }
        } while (batch.size() >= batchSize);
        if (written > 0) {
            LOG.debug("{} analytics lines written", written);
        }
        return written;
    }

    private List<Message> receive() {
        List<Message> batch = new ArrayList<>();
        while (batch.size() < batchSize) {
            int want = Math.min(SQS_BATCH, batchSize - batch.size());
            List<Message> received = sqs.receiveMessage(b -> b.queueUrl(url()).maxNumberOfMessages(want)).messages();
            if (received.isEmpty()) {
                break;
            }
            batch.addAll(received);
        }
        return batch;
    }

    private void delete(List<Message> batch) {
        for (int from = 0; from < batch.size(); from += SQS_BATCH) {
            List<DeleteMessageBatchRequestEntry> entries = new ArrayList<>();
            for (int i = from; i < Math.min(from + SQS_BATCH, batch.size()); i++) {
                entries.add(DeleteMessageBatchRequestEntry.builder().id(Integer.toString(i))
                        .receiptHandle(batch.get(i).receiptHandle()).build());
            }
            sqs.deleteMessageBatch(b -> b.queueUrl(url()).entries(entries));
        }
    }

    private String url() {
        return urls.of(queueName);
    }
}
