package routes.ops;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import routes.aws.AwsProperties;
import routes.aws.QueueUrls;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * Messages in every queue and every dead-letter queue ({@code mailroutes.queue.messages}, by queue,
 * {@code dead_letter} and state visible, in_flight or delayed), read with one GetQueueAttributes each by
 * route {@code metrics-poll} on the leader. A queue's gauges appear on its first reading, so only a
 * replica that has polled exports them. SQS has no age of the oldest message in GetQueueAttributes;
 * that is CloudWatch's {@code ApproximateAgeOfOldestMessage} (config/aws/cloudformation.yaml).
 */
@Component
public class QueueDepths {

    private static final Logger LOG = LoggerFactory.getLogger(QueueDepths.class);
    private static final Map<String, QueueAttributeName> STATES = Map.of(
            "visible", QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
            "in_flight", QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE,
            "delayed", QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED);

    private final SqsClient sqs;
    private final MeterRegistry registry;
    private final List<String> queues;
    private final QueueUrls urls;
    private final Map<String, AtomicLong> values = new ConcurrentHashMap<>();

    public QueueDepths(SqsClient sqs, QueueUrls urls, MeterRegistry registry, AwsProperties aws) {
        this.sqs = sqs;
        this.urls = urls;
        this.registry = registry;
        AwsProperties.Queues q = aws.queues();
        this.queues = Stream.of(q.launch(), q.send(), q.sesEvents(), q.notifications(), q.transactional(),
                        q.webhooks(), q.analytics())
                .flatMap(queue -> Stream.of(queue, AwsProperties.deadLetterQueue(queue))).toList();
    }

    /** Reads every queue; one that cannot be read keeps its last value and the others are still read. */
    public void poll() {
        for (String queue : queues) {
            try {
                String url = urls.of(queue);
                Map<QueueAttributeName, String> attributes = sqs.getQueueAttributes(b -> b.queueUrl(url)
                        .attributeNames(STATES.values())).attributes();
                STATES.forEach((state, attribute) -> value(queue, state).set(Long.parseLong(attributes.getOrDefault(attribute, "0"))));
            } catch (SdkException e) {
                LOG.warn("Depth of queue {} not read: {}", queue, e.toString());
            }
        }
    }

    private AtomicLong value(String queue, String state) {
        return values.computeIfAbsent(queue + "|" + state, key -> {
            AtomicLong value = new AtomicLong();
            Gauge.builder("mailroutes.queue.messages", value, AtomicLong::get)
                    .description("Messages in the queue by state (GetQueueAttributes, polled by the leader)")
                    .tag("queue", queue).tag("dead_letter", Boolean.toString(queue.contains("-dlq")))
                    .tag("state", state).register(registry);
            return value;
        });
    }
}
