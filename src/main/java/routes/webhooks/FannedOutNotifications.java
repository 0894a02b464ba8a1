package routes.webhooks;

import jakarta.annotation.PreDestroy;
import org.apache.camel.Exchange;
import org.springframework.stereotype.Component;
import routes.aws.AwsProperties;
import routes.aws.CompletedMessages;
import routes.aws.CompletedMessages.Completed;
import routes.aws.QueueUrls;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Acknowledges the status events whose fan-out to the subscribers completed, ten per DeleteMessageBatch
 * ({@link CompletedMessages}; route {@code webhooks-acknowledge} flushes the rest every
 * {@code mailroutes.aws.acknowledge-interval}) instead of a DeleteMessage per status change. A completed fan-out has
 * handed every delivery that failed to the durable retry or the DLQ; a failed one stays on the queue for its
 * redelivery. A status event that runs twice is POSTed twice with the same {@code webhook-id}, as at least once
 * delivery allows.
 */
@Component
public class FannedOutNotifications {

    private final CompletedMessages<Void> completed;

    public FannedOutNotifications(SqsClient sqs, QueueUrls urls, AwsProperties aws) {
        this.completed = new CompletedMessages<>(sqs, urls, aws.queues().notifications(),
                messages -> messages.stream().map(Completed::receiptHandle).toList());
    }

    public void acknowledgeWhenDone(Exchange exchange) {
        completed.acknowledgeWhenDone(exchange, handle -> null, handle -> { });
    }

    /** Acknowledges the completed fan-outs that wait; at shutdown too, after the consumer stopped. */
    @PreDestroy
    public void flush() {
        completed.flush();
    }
}
