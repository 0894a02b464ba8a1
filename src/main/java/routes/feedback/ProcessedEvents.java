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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import routes.aws.AwsProperties;
import routes.aws.CompletedMessages;
import routes.aws.CompletedMessages.Completed;
import routes.aws.QueueUrls;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Acknowledges completed ses-events messages together ({@link CompletedMessages}: ten at a time, whichever consumer
 * ran them, or when route {@code feedback-acknowledge} calls {@link #flush} every
 * {@code mailroutes.aws.acknowledge-interval}), with their analytics lines: the lines go to the analytics spool
 * in SendMessageBatch calls first, then the messages leave the queue in DeleteMessageBatch calls, instead of a
 * SendMessage and a DeleteMessage per event. A message whose lines could not all be spooled is not deleted: it
 * comes back and runs again, lines included. A failed exchange's lines are dropped with it.
 *
 * <p>Across consumers, not per poll: at a steady rate below capacity each of 32 long-polling consumers gets about
 * one event per receive, so a per-poll acknowledgement was one SendMessageBatch and one DeleteMessageBatch per event
 * (FeedbackBenchmark#steadyRate). A completed message whose acknowledgement is lost, or whose replica dies before
 * it is flushed, comes back after its visibility timeout and runs again, as after a failed DeleteMessage before: the
 * event log lets the same SQS message re-run, the ledger is rank-guarded and suppression and the retry are
 * conditional, so what can repeat is a counter increment, a status event with the same id and an analytics line
 * (docs/feedback.md, "Acknowledging completed events together").
 */
@Component
public class ProcessedEvents {

    private static final Logger LOG = LoggerFactory.getLogger(ProcessedEvents.class);

    private final AnalyticsSpool analytics;
    private final CompletedMessages<List<String>> completed;
    /** Per message in work (its receipt handle): the analytics lines of its recipient events so far. */
    private final Map<String, List<String>> linesInWork = new ConcurrentHashMap<>();

    public ProcessedEvents(SqsClient sqs, QueueUrls urls, AnalyticsSpool analytics, AwsProperties aws) {
        this.analytics = analytics;
        this.completed = new CompletedMessages<>(sqs, urls, aws.queues().sesEvents(), this::spoolLines);
    }

    /** Acknowledges this exchange's message with others once the exchange completed. */
    public void acknowledgeWhenDone(Exchange exchange) {
        completed.acknowledgeWhenDone(exchange, handle -> {
            List<String> lines = linesInWork.remove(handle);
            return lines == null ? List.of() : lines;
        }, linesInWork::remove);
    }

    /** Keeps an analytics line of the message in work until the message is acknowledged. */
    public void analyticsLine(@Body String line, @Header(Sqs2Constants.RECEIPT_HANDLE) String receiptHandle) {
        linesInWork.computeIfAbsent(receiptHandle, handle -> Collections.synchronizedList(new ArrayList<>())).add(line);
    }

    /** Acknowledges the completed messages that wait; at shutdown too, after the consumers stopped. */
    @PreDestroy
    public void flush() {
        completed.flush();
    }

    /** Spools the messages' lines; returns the messages whose lines are all spooled, which may leave the queue. */
    private List<String> spoolLines(List<Completed<List<String>>> messages) {
        List<String> lines = new ArrayList<>();
        List<String> handleOfLine = new ArrayList<>();
        for (Completed<List<String>> message : messages) {
            message.kept().forEach(line -> {
                lines.add(line);
                handleOfLine.add(message.receiptHandle());
            });
        }
        Set<String> notSpooled = new HashSet<>();
        analytics.spool(lines).forEach(index -> notSpooled.add(handleOfLine.get(index)));
        if (!notSpooled.isEmpty()) {
            LOG.warn("{} processed ses-events messages stay on the queue: their analytics lines could not be spooled;"
                    + " they run again after the visibility timeout", notSpooled.size());
        }
        return messages.stream().map(Completed::receiptHandle).filter(handle -> !notSpooled.contains(handle)).toList();
    }
}
