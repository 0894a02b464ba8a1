package routes.feedback;

import jakarta.annotation.PreDestroy;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.camel.Body;
import org.apache.camel.Exchange;
import org.apache.camel.Header;
import org.apache.camel.component.aws2.sqs.Sqs2Constants;
import org.apache.camel.support.SynchronizationAdapter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import routes.aws.AwsProperties;
import routes.aws.QueueUrls;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.BatchResultErrorEntry;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;

/**
 * Acknowledges completed ses-events messages together, whichever consumer ran them: their analytics lines go to
 * the analytics spool in SendMessageBatch calls, then the messages leave the queue in DeleteMessageBatch calls,
 * instead of a SendMessage and a DeleteMessage per event (the consumer runs with {@code deleteAfterRead=false}).
 * Completed messages wait until ten have completed or route {@code feedback-acknowledge} calls {@link #flush}
 * (every {@code mailroutes.feedback.acknowledge-interval}); at shutdown {@link #flush} runs once more. Only a
 * message whose exchange completed takes part; a failed one, and its lines, stay out, so it comes back for its
 * redelivery and, in the end, the queue's redrive policy. A message whose lines could not all be spooled is not
 * deleted either: it comes back and runs again, lines included. An entry SQS refuses is tried once more on its own.
 *
 * <p>Gathering across consumers, not per poll: at a steady rate below capacity 32 long-polling consumers each get
 * about one event per receive, so a per-poll acknowledgement was one SendMessageBatch and one DeleteMessageBatch
 * per event (FeedbackBenchmark#steadyRate). A completed message whose acknowledgement is lost all the same, or
 * whose replica dies before it is flushed, comes back after its visibility timeout and runs again, as after a
 * failed DeleteMessage before: the event log lets the same SQS message re-run, the ledger is rank-guarded and
 * suppression and the retry are conditional, so what can repeat is a counter increment, a status event with the
 * same id and an analytics line (docs/feedback.md, "Acknowledging completed events together").
 */
@Component
public class ProcessedEvents {

    private static final Logger LOG = LoggerFactory.getLogger(ProcessedEvents.class);
    private static final int SQS_BATCH = 10;

    private final SqsClient sqs;
    private final QueueUrls urls;
    private final AnalyticsSpool analytics;
    private final String queueName;
    /** Per message in work (its receipt handle): the analytics lines of its recipient events so far. */
    private final Map<String, List<String>> linesInWork = new ConcurrentHashMap<>();
    /** Completed messages not acknowledged yet, in completion order. */
    private final List<Completed> completed = new ArrayList<>();

    private record Completed(String receiptHandle, List<String> lines) {}

    public ProcessedEvents(SqsClient sqs, QueueUrls urls, AnalyticsSpool analytics, AwsProperties aws) {
        this.sqs = sqs;
        this.urls = urls;
        this.analytics = analytics;
        this.queueName = aws.queues().sesEvents();
    }

    /** Acknowledges this exchange's message with others once the exchange completed. */
    public void acknowledgeWhenDone(Exchange exchange) {
        String receiptHandle = exchange.getMessage().getHeader(Sqs2Constants.RECEIPT_HANDLE, String.class);
        exchange.getExchangeExtension().addOnCompletion(new SynchronizationAdapter() {
            @Override
            public void onComplete(Exchange done) {
                List<String> lines = linesInWork.remove(receiptHandle);
                List<Completed> ten = null;
                synchronized (completed) {
                    completed.add(new Completed(receiptHandle, lines == null ? List.of() : lines));
                    if (completed.size() >= SQS_BATCH) {
                        ten = take();
                    }
                }
                if (ten != null) {
                    acknowledge(ten);
                }
            }

            @Override
            public void onFailure(Exchange failed) {
                linesInWork.remove(receiptHandle);
            }
        });
    }

    /** Keeps an analytics line of the message in work until the message is acknowledged. */
    public void analyticsLine(@Body String line, @Header(Sqs2Constants.RECEIPT_HANDLE) String receiptHandle) {
        linesInWork.computeIfAbsent(receiptHandle, handle -> Collections.synchronizedList(new ArrayList<>())).add(line);
    }

    /** Acknowledges the completed messages that wait; at shutdown too, after the consumers stopped. */
    @PreDestroy
    public void flush() {
        List<Completed> waiting;
        synchronized (completed) {
            waiting = take();
        }
        acknowledge(waiting);
    }

    private List<Completed> take() {
        List<Completed> taken = new ArrayList<>(completed);
        completed.clear();
        return taken;
    }

    private void acknowledge(List<Completed> messages) {
        if (messages.isEmpty()) {
            return;
        }
        List<String> lines = new ArrayList<>();
        List<String> handleOfLine = new ArrayList<>();
        for (Completed message : messages) {
            message.lines().forEach(line -> {
                lines.add(line);
                handleOfLine.add(message.receiptHandle());
            });
        }
        Set<String> notSpooled = new HashSet<>();
        analytics.spool(lines).forEach(index -> notSpooled.add(handleOfLine.get(index)));
        List<String> handles = messages.stream().map(Completed::receiptHandle).filter(h -> !notSpooled.contains(h)).toList();
        if (!notSpooled.isEmpty()) {
            LOG.warn("{} processed ses-events messages stay on the queue: their analytics lines could not be spooled;"
                    + " they run again after the visibility timeout", notSpooled.size());
        }
        delete(handles);
    }

    private void delete(List<String> handles) {
        String url = urls.of(queueName);
        for (int from = 0; from < handles.size(); from += SQS_BATCH) {
            List<DeleteMessageBatchRequestEntry> entries = new ArrayList<>();
            for (int i = from; i < Math.min(from + SQS_BATCH, handles.size()); i++) {
                entries.add(DeleteMessageBatchRequestEntry.builder().id(Integer.toString(i)).receiptHandle(handles.get(i)).build());
            }
            try {
                for (BatchResultErrorEntry refused : sqs.deleteMessageBatch(b -> b.queueUrl(url).entries(entries)).failed()) {
                    deleteOne(url, handles.get(Integer.parseInt(refused.id())), refused.code());
                }
            } catch (SdkException e) {
                LOG.warn("Deleting {} processed ses-events messages failed ({}); they run again after the visibility timeout",
                        entries.size(), e.getMessage());
            }
        }
    }

    private void deleteOne(String url, String receiptHandle, String batchCode) {
        try {
            sqs.deleteMessage(b -> b.queueUrl(url).receiptHandle(receiptHandle));
        } catch (SdkException e) {
            LOG.warn("A processed ses-events message was not deleted (batch: {}, alone: {}); it runs again after the"
                    + " visibility timeout", batchCode, e.getMessage());
        }
    }
}
