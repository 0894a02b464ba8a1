package routes.feedback;

import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import routes.aws.AwsProperties;
import routes.aws.QueueUrls;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;

/** Parks a message that can never be processed in the ses-events DLQ, unchanged, with the reason as attribute {@code reason}. */
@Component
public class SesEventsDeadLetterQueue {

    private static final Logger LOG = LoggerFactory.getLogger(SesEventsDeadLetterQueue.class);

    private final SqsClient sqs;
    private final QueueUrls urls;
    private final String name;

    public SesEventsDeadLetterQueue(SqsClient sqs, QueueUrls urls, AwsProperties aws) {
        this.sqs = sqs;
        this.urls = urls;
        this.name = AwsProperties.deadLetterQueue(aws.queues().sesEvents());
    }

    public void park(String body, String reason) {
        sqs.sendMessage(b -> b.queueUrl(urls.of(name)).messageBody(body).messageAttributes(Map.of("reason",
                MessageAttributeValue.builder().dataType("String").stringValue(reason).build())));
        // Only the reason's first clause: a parser message may quote the body, which may hold an address.
        LOG.warn("SES event message parked in the DLQ: {}", reason.split(": ", 2)[0]);
    }
}
