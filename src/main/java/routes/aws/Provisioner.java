package routes.aws;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketAlreadyOwnedByYouException;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.ses.SesClient;
import software.amazon.awssdk.services.ses.model.ConfigurationSetAlreadyExistsException;
import software.amazon.awssdk.services.ses.model.EventDestinationAlreadyExistsException;
import software.amazon.awssdk.services.ses.model.EventType;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * Creates every resource of DESIGN §3 and §6 where it is missing: bucket, queues with their
 * dead-letter queues and redrive policies, tables with their indexes and TTL, topics, the
 * ses-events subscription and the SES configuration set. Idempotent, so every start may run it.
 * Production declares the same resources in {@code config/aws/cloudformation.yaml}.
 */
public class Provisioner {

    private static final Logger LOG = LoggerFactory.getLogger(Provisioner.class);

    private final AwsProperties aws;
    private final S3Client s3;
    private final SqsClient sqs;
    private final SnsClient sns;
    private final SesClient ses;
    private final DynamoDbClient dynamo;

    public Provisioner(AwsProperties aws, S3Client s3, SqsClient sqs, SnsClient sns, SesClient ses, DynamoDbClient dynamo) {
        this.aws = aws;
        this.s3 = s3;
        this.sqs = sqs;
        this.sns = sns;
        this.ses = ses;
        this.dynamo = dynamo;
    }

    public void provision() {
        bucket();
        AwsProperties.Queues q = aws.queues();
        queueWithDeadLetters(q.launch(), 120);
        queueWithDeadLetters(q.send(), 120);
        String sesEventsQueueArn = queueWithDeadLetters(q.sesEvents(), 60);
        String notificationsQueueArn = queueWithDeadLetters(q.notifications(), 60);
        queueWithDeadLetters(q.transactional(), 120);
        queueWithDeadLetters(q.webhooks(), 60);
        queueWithDeadLetters(q.analytics(), 300);                   // covers gathering and writing one analytics file
        Tables.definitions(aws).forEach(this::table);
        String sesEventsTopic = sns.createTopic(b -> b.name(aws.topics().sesEvents())).topicArn();
        String statusTopic = sns.createTopic(b -> b.name(aws.topics().status())).topicArn();
        sns.createTopic(b -> b.name(aws.topics().alerts()));
        subscribeOnce(sesEventsTopic, sesEventsQueueArn, false);
        // The status flow publishes once, to the topic; the webhooks flow reads the bare event from its queue.
        subscribeOnce(statusTopic, notificationsQueueArn, true);
        configurationSet(sesEventsTopic);
        LOG.info("Provisioned bucket {}, queues, tables with prefix '{}', topics and configuration set {}",
                aws.bucket(), aws.tablePrefix(), aws.configurationSet());
    }

    private void bucket() {
        try {
            s3.headBucket(b -> b.bucket(aws.bucket()));
        } catch (NoSuchBucketException missing) {
            try {
                s3.createBucket(b -> b.bucket(aws.bucket()));
            } catch (BucketAlreadyOwnedByYouException raced) {
                LOG.debug("Bucket {} created concurrently", aws.bucket());
            }
        }
    }

    /**
     * Creates {@code name} and its dead-letter queue and wires the redrive policy; returns the queue's
     * ARN. A FIFO queue (and its DLQ, which must be FIFO too) deduplicates by explicit ids only.
     */
    public String queueWithDeadLetters(String name, int visibilitySeconds) {
        Map<QueueAttributeName, String> kind = AwsProperties.isFifo(name)
                ? Map.of(QueueAttributeName.FIFO_QUEUE, "true", QueueAttributeName.CONTENT_BASED_DEDUPLICATION, "false")
                : Map.of();
        Map<QueueAttributeName, String> dlqAttributes = new HashMap<>(kind);
        dlqAttributes.put(QueueAttributeName.MESSAGE_RETENTION_PERIOD, "1209600");
        String dlqUrl = sqs.createQueue(b -> b.queueName(AwsProperties.deadLetterQueue(name))
                .attributes(dlqAttributes)).queueUrl();
        String dlqArn = arnOf(dlqUrl);
        String redrive = "{\"deadLetterTargetArn\":\"" + dlqArn + "\",\"maxReceiveCount\":\"" + aws.maxReceiveCount() + "\"}";
        String url = sqs.createQueue(b -> b.queueName(name).attributes(kind)).queueUrl();
        sqs.setQueueAttributes(b -> b.queueUrl(url).attributes(Map.of(
                QueueAttributeName.REDRIVE_POLICY, redrive,
                QueueAttributeName.VISIBILITY_TIMEOUT, String.valueOf(visibilitySeconds))));
        return arnOf(url);
    }

    private String arnOf(String queueUrl) {
        return sqs.getQueueAttributes(b -> b.queueUrl(queueUrl).attributeNames(QueueAttributeName.QUEUE_ARN))
                .attributes().get(QueueAttributeName.QUEUE_ARN);
    }

    private void table(CreateTableRequest request) {
        try {
            dynamo.createTable(request);
            dynamo.waiter().waitUntilTableExists(b -> b.tableName(request.tableName()));
        } catch (ResourceInUseException exists) {
            return;
        }
        Tables.ttlAttribute(request.tableName(), aws).ifPresent(attribute -> dynamo.updateTimeToLive(b -> b
                .tableName(request.tableName())
                .timeToLiveSpecification(t -> t.enabled(true).attributeName(attribute))));
    }

    private void subscribeOnce(String topicArn, String queueArn, boolean raw) {
        boolean subscribed = sns.listSubscriptionsByTopic(b -> b.topicArn(topicArn)).subscriptions().stream()
                .anyMatch(s -> queueArn.equals(s.endpoint()));
        if (!subscribed) {
            sns.subscribe(b -> b.topicArn(topicArn).protocol("sqs").endpoint(queueArn)
                    .attributes(Map.of("RawMessageDelivery", Boolean.toString(raw))));
        }
    }

    private void configurationSet(String topicArn) {
        String name = aws.configurationSet();
        try {
            ses.createConfigurationSet(b -> b.configurationSet(c -> c.name(name)));
        } catch (ConfigurationSetAlreadyExistsException exists) {
            LOG.debug("Configuration set {} exists", name);
        }
        List<EventType> all = Arrays.stream(EventType.values()).filter(t -> t != EventType.UNKNOWN_TO_SDK_VERSION).toList();
        try {
            ses.createConfigurationSetEventDestination(b -> b.configurationSetName(name).eventDestination(d -> d
                    .name("ses-events-to-sns")
                    .enabled(true)
                    .matchingEventTypes(all)
                    .snsDestination(s -> s.topicARN(topicArn))));
        } catch (EventDestinationAlreadyExistsException exists) {
            LOG.debug("Event destination of {} exists", name);
        }
    }
}
