package routes.aws;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.SendMessageRequest;
import software.amazon.awssdk.services.sqs.model.SqsException;

/**
 * The dead-letter queue of every queue, by the queue's short name ({@code launch}, {@code send}, …): look at its
 * entries without consuming them, move entries back to the queue, or discard one.
 *
 * <p>Looking is a receive with a short visibility timeout followed by a release (visibility 0), so an entry
 * stays where it is, but every look counts as a receive in its {@code ApproximateReceiveCount}. SQS has no
 * cursor over a queue: a page is "skip the first n entries of one sweep", and the order between sweeps is
 * not fixed. In a FIFO DLQ one sweep sees at most ten entries per message group, since SQS hands out no
 * more of a group while its earlier entries are held.
 */
@Component
public class DeadLetters {

    private static final Logger LOG = LoggerFactory.getLogger(DeadLetters.class);

    // A short poll may miss entries of a small queue on SQS (it samples servers); one second of long poll does not.
    /** Long enough for one sweep of a DLQ; entries come back by the explicit release, or after this at worst. */
    private static final int HOLD_SECONDS = 30;
    private static final int EXCERPT_CHARACTERS = 300;
    private static final List<MessageSystemAttributeName> SYSTEM_ATTRIBUTES = List.of(MessageSystemAttributeName.ALL);

    /**
     * An entry as an operator sees it: {@code reason} as recorded on the entry, or as its flow explains it
     * ({@link DeadLetterReasons}); null where neither knows one.
     */
    public record Entry(String id, String reason, Map<String, String> attributes, int receiveCount, Instant sentAt,
                        long ageSeconds, String excerpt) {}

    /** How a redrive went: {@code message-move-task} (SQS moves the entries itself) or {@code resend}. */
    public record Redrive(String method, int moved, String taskHandle) {}

    private final SqsClient sqs;
    private final Clock clock;
    private final Map<String, String> queues = new LinkedHashMap<>();
    private final QueueUrls urls;
    private final ObjectProvider<DeadLetterReasons> explanations;

    public DeadLetters(SqsClient sqs, QueueUrls urls, AwsProperties aws, Clock clock,
                       ObjectProvider<DeadLetterReasons> explanations) {
        this.sqs = sqs;
        this.urls = urls;
        this.clock = clock;
        this.explanations = explanations;
        AwsProperties.Queues names = aws.queues();
        queues.put("launch", names.launch());
        queues.put("send", names.send());
        queues.put("transactional", names.transactional());
        queues.put("ses-events", names.sesEvents());
        queues.put("notifications", names.notifications());
        queues.put("webhooks", names.webhooks());
        queues.put("analytics", names.analytics());
    }

    /** The short names {@code queue} may take in the methods below. */
    public Set<String> queues() {
        return queues.keySet();
    }

    public boolean knows(String queue) {
        return queues.containsKey(queue);
    }

    /** SQS's estimate of the entries in the DLQ (including those held by a sweep). */
    public long depth(String queue) {
        return approximateMessages(deadLetterUrl(queue));
    }

    /** SQS's estimate of the messages in the queue whose DLQ this is, waiting or in flight (the console's health strip). */
    public long sourceDepth(String queue) {
        return approximateMessages(queueUrl(queue));
    }

    private long approximateMessages(String url) {
        Map<QueueAttributeName, String> attributes = sqs.getQueueAttributes(b -> b.queueUrl(url)
                .attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                        QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE)).attributes();
        return Long.parseLong(attributes.getOrDefault(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES, "0"))
                + Long.parseLong(attributes.getOrDefault(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE, "0"));
    }

    /** Up to {@code limit} entries after the first {@code skip} of one sweep; all of them stay in the DLQ. */
    public List<Entry> peek(String queue, int skip, int limit) {
        List<Entry> seen = new ArrayList<>();
        sweep(queue, entry -> {
            seen.add(entry(queue, entry));
            return false;
        }, () -> seen.size() >= skip + limit);
        return seen.subList(Math.min(skip, seen.size()), Math.min(skip + limit, seen.size()));
    }

    /** Deletes the entry with SQS message id {@code id}; the entry as it was, or empty if the DLQ does not hold it. */
    public Optional<Entry> discard(String queue, String id) {
        String url = deadLetterUrl(queue);
        List<Entry> found = new ArrayList<>();
        sweep(queue, entry -> {
            if (!entry.messageId().equals(id)) {
                return false;
            }
            sqs.deleteMessage(b -> b.queueUrl(url).receiptHandle(entry.receiptHandle()));
            found.add(entry(queue, entry));
            return true;
        }, () -> !found.isEmpty());
        return found.stream().findFirst();
    }

    /**
     * Moves entries back to {@code queue}: all of them (empty {@code ids}) with SQS's message-move task where SQS
     * accepts one for the queue, otherwise (listed ids, or a refused task) each entry by send and delete.
     */
    public Redrive redrive(String queue, Collection<String> ids) {
        if (ids.isEmpty()) {
            try {
                String task = sqs.startMessageMoveTask(b -> b.sourceArn(arn(deadLetterUrl(queue)))
                        .destinationArn(arn(queueUrl(queue)))).taskHandle();
                LOG.info("Message-move task {} started from the {} DLQ", task, queue);
                return new Redrive("message-move-task", -1, task);
            } catch (SqsException refused) {
                LOG.info("No message-move task for the {} DLQ ({}); moving each entry", queue,
                        refused.awsErrorDetails() == null ? refused.getMessage() : refused.awsErrorDetails().errorCode());
            }
        }
        return new Redrive("resend", move(queue, entry -> ids.isEmpty() || ids.contains(entry.messageId()), UnaryOperator.identity()), null);
    }

    /**
     * Sends each entry {@code which} accepts back to {@code queue} as {@code rewrite} makes it (body and message
     * attributes as they were, a FIFO entry with its group and deduplication id), then deletes it from the DLQ.
     * Returns how many moved.
     */
    public int move(String queue, Predicate<Message> which, UnaryOperator<SendMessageRequest.Builder> rewrite) {
        String from = deadLetterUrl(queue);
        String to = queueUrl(queue);
        boolean fifo = AwsProperties.isFifo(queues.get(queue));
        int[] moved = {0};
        sweep(queue, entry -> {
            if (!which.test(entry)) {
                return false;
            }
            SendMessageRequest.Builder copy = SendMessageRequest.builder().queueUrl(to).messageBody(entry.body())
                    .messageAttributes(entry.messageAttributes());
            if (fifo) {
                copy.messageGroupId(entry.attributesAsStrings().get(MessageSystemAttributeName.MESSAGE_GROUP_ID.toString()))
                        .messageDeduplicationId(entry.attributesAsStrings()
                                .get(MessageSystemAttributeName.MESSAGE_DEDUPLICATION_ID.toString()));
            }
            sqs.sendMessage(rewrite.apply(copy).build());
            sqs.deleteMessage(b -> b.queueUrl(from).receiptHandle(entry.receiptHandle()));
            moved[0]++;
            return true;
        }, () -> false);
        return moved[0];
    }

    /**
     * Receives the DLQ batch by batch, holding each entry invisible so the sweep meets it once, until the DLQ
     * gives no more or {@code enough} says so. {@code take} returns true for an entry it deleted; every other
     * entry is released at the end.
     */
    private void sweep(String queue, Predicate<Message> take, BooleanSupplier enough) {
        String url = deadLetterUrl(queue);
        List<String> held = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        try {
            boolean fresh;
            do {
                List<Message> batch = sqs.receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(10)
                        .visibilityTimeout(HOLD_SECONDS).waitTimeSeconds(1)
                        .messageAttributeNames("All").messageSystemAttributeNames(SYSTEM_ATTRIBUTES)).messages();
                fresh = false;
                for (Message entry : batch) {
                    // A sweep longer than the hold meets entries again; a batch of only those ends it.
                    if (!seen.add(entry.messageId())) {
                        held.add(entry.receiptHandle());
                    } else {
                        fresh = true;
                        if (!take.test(entry)) {
                            held.add(entry.receiptHandle());
                        }
                    }
                }
            } while (fresh && !enough.getAsBoolean());
        } finally {
            held.forEach(handle -> sqs.changeMessageVisibility(b -> b.queueUrl(url).receiptHandle(handle).visibilityTimeout(0)));
        }
    }

    private Entry entry(String queue, Message message) {
        Map<String, String> system = message.attributesAsStrings();
        Map<String, String> attributes = new LinkedHashMap<>();
        message.messageAttributes().forEach((name, value) -> attributes.put(name, text(value)));
        // The webhook flow records its reason as the last error; the others as attribute reason.
        String reason = Optional.ofNullable(attributes.get("reason")).or(() -> Optional.ofNullable(attributes.get("lastError")))
                .or(() -> explanations.orderedStream().filter(reasons -> reasons.explains(queue)).findFirst()
                        .flatMap(reasons -> reasons.reasonOf(message.body())))
                .orElse(null);
        Instant sentAt = Instant.ofEpochMilli(Long.parseLong(system.getOrDefault(
                MessageSystemAttributeName.SENT_TIMESTAMP.toString(), Long.toString(clock.millis()))));
        String body = message.body();
        return new Entry(message.messageId(), reason, attributes,
                Integer.parseInt(system.getOrDefault(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT.toString(), "0")),
                sentAt, Duration.between(sentAt, clock.instant()).toSeconds(),
                body.length() > EXCERPT_CHARACTERS ? body.substring(0, EXCERPT_CHARACTERS) + "…" : body);
    }

    private static String text(MessageAttributeValue value) {
        return value.stringValue() != null ? value.stringValue() : "(" + value.dataType() + ")";
    }

    private String deadLetterUrl(String queue) {
        return url(AwsProperties.deadLetterQueue(name(queue)));
    }

    private String queueUrl(String queue) {
        return url(name(queue));
    }

    private String name(String queue) {
        String name = queues.get(queue);
        if (name == null) {
            throw new IllegalArgumentException("No queue named " + queue + "; known: " + queues.keySet());
        }
        return name;
    }

    private String url(String name) {
        return urls.of(name);
    }

    private String arn(String url) {
        return sqs.getQueueAttributes(b -> b.queueUrl(url).attributeNames(QueueAttributeName.QUEUE_ARN))
                .attributes().get(QueueAttributeName.QUEUE_ARN);
    }
}
