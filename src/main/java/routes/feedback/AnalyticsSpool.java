package routes.feedback;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import routes.aws.AwsProperties;
import routes.aws.QueueUrls;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.BatchResultErrorEntry;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;

/**
 * Spools the analytics lines on the analytics queue and builds the analytics files from there: up to {@code analyticsBatchSize}
 * lines per file, and a line leaves the queue only once the file holding it is in S3. A replica that dies
 * mid-file loses nothing: its lines become visible again and go into a later file (at most once more).
 */
@Component
public class AnalyticsSpool {

    private static final Logger LOG = LoggerFactory.getLogger(AnalyticsSpool.class);
    private static final int SQS_BATCH = 10;
    /** SQS's limit for all the bodies of one SendMessageBatch together. */
    private static final int MAX_BATCH_BYTES = 256 * 1024;

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

    /**
     * Puts lines on the analytics queue, ten or 256 KB to a SendMessageBatch (SQS's limits); an entry SQS refuses is
     * tried once more on its own. Returns the positions of the lines that are not on the queue.
     */
    public List<Integer> spool(List<String> lines) {
        List<Integer> notSpooled = new ArrayList<>();
        int from = 0;
        while (from < lines.size()) {
            int to = from;
            int bytes = 0;
            while (to < lines.size() && to - from < SQS_BATCH
                    && (to == from || bytes + utf8Length(lines.get(to)) <= MAX_BATCH_BYTES)) {
                bytes += utf8Length(lines.get(to));
                to++;
            }
            notSpooled.addAll(sendBatch(lines, from, to));
            from = to;
        }
        return notSpooled;
    }

    private List<Integer> sendBatch(List<String> lines, int from, int to) {
        List<SendMessageBatchRequestEntry> entries = new ArrayList<>();
        for (int i = from; i < to; i++) {
            entries.add(SendMessageBatchRequestEntry.builder().id(Integer.toString(i)).messageBody(lines.get(i)).build());
        }
        List<Integer> notSpooled = new ArrayList<>();
        try {
            for (BatchResultErrorEntry refused : sqs.sendMessageBatch(b -> b.queueUrl(url()).entries(entries)).failed()) {
                int index = Integer.parseInt(refused.id());
                if (!sendOne(lines.get(index))) {
                    notSpooled.add(index);
                }
            }
        } catch (SdkException e) {
            LOG.warn("Spooling {} analytics lines failed: {}", entries.size(), e.getMessage());
            for (int i = from; i < to; i++) {
                notSpooled.add(i);
            }
        }
        return notSpooled;
    }

    private boolean sendOne(String line) {
        try {
            sqs.sendMessage(b -> b.queueUrl(url()).messageBody(line));
            return true;
        } catch (SdkException e) {
            LOG.warn("An analytics line was not spooled: {}", e.getMessage());
            return false;
        }
    }

    private static int utf8Length(String line) {
        return line.getBytes(StandardCharsets.UTF_8).length;
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
