package routes.crash;

import java.net.URI;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * What the harness reads from outside the application, over the AWS SDK against the forked embedded AWS:
 * the campaign row, the ledger rows of a campaign, and whether the queues that carry its work are empty.
 * Table, bucket and queue names are application.yaml's defaults (the harness does not override them).
 */
final class MailroutesState implements AutoCloseable {

    static final String BUCKET = "mailroutes-campaigns";
    private static final String CAMPAIGNS = "mailroutes-campaigns";
    private static final String MESSAGES = "mailroutes-messages";
    private static final String EVENTS = "mailroutes-events";
    private static final List<String> WORK_QUEUES = List.of("mailroutes-launch.fifo", "mailroutes-send", "mailroutes-ses-events");

    /**
     * A campaign's row as far as the harness cares; {@code launchHeartbeat} moves while a launcher works, which
     * records {@code enqueuedChunks} after each batch of chunks it put on the launch queue.
     */
    record Campaign(String status, String launchHeartbeat, int enqueuedChunks, Map<String, String> counters) {}

    /** One ledger row. */
    record Row(String messageId, String recipient, String status, String lastError) {}

    private final S3Client s3;
    private final DynamoDbClient dynamo;
    private final SqsClient sqs;

    MailroutesState(Map<String, URI> endpoints) {
        StaticCredentialsProvider credentials = StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local"));
        Region region = Region.US_EAST_1;
        s3 = S3Client.builder().region(region).credentialsProvider(credentials).endpointOverride(endpoints.get("s3"))
                .forcePathStyle(true).build();
        dynamo = DynamoDbClient.builder().region(region).credentialsProvider(credentials)
                .endpointOverride(endpoints.get("dynamodb")).build();
        sqs = SqsClient.builder().region(region).credentialsProvider(credentials).endpointOverride(endpoints.get("sqs")).build();
    }

    /** The normal intake path: a campaign file under {@code inbox/}. */
    void dropCampaign(String key, String json) {
        s3.putObject(b -> b.bucket(BUCKET).key("inbox/" + key), RequestBody.fromString(json));
    }

    Optional<Campaign> campaign(String campaignId) {
        Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(CAMPAIGNS).consistentRead(true)
                .key(Map.of("campaignId", AttributeValue.fromS(campaignId)))).item();
        if (item == null || item.isEmpty()) {
            return Optional.empty();
        }
        Map<String, String> counters = new HashMap<>();
        item.forEach((name, value) -> {
            if (name.endsWith("Count") && value.n() != null) {
                counters.put(name, value.n());
            }
        });
        return Optional.of(new Campaign(item.get("status").s(),
                item.containsKey("launchHeartbeat") ? item.get("launchHeartbeat").s() : null,
                item.containsKey("enqueuedChunks") ? Integer.parseInt(item.get("enqueuedChunks").n()) : 0, counters));
    }

    String status(String campaignId) {
        return campaign(campaignId).map(Campaign::status).orElse("NONE");
    }

    /** Every ledger row of the campaign (a consistent scan: the harness reads after the fact). */
    List<Row> rows(String campaignId) {
        return dynamo.scanPaginator(b -> b.tableName(MESSAGES).consistentRead(true)
                        .filterExpression("campaignId = :c")
                        .expressionAttributeValues(Map.of(":c", AttributeValue.fromS(campaignId))))
                .items().stream()
                .map(item -> new Row(item.get("messageId").s(), item.get("recipient").s(), item.get("status").s(),
                        item.containsKey("lastError") ? item.get("lastError").s() : null))
                .toList();
    }

    /** The event log's keys for one message ({@code <timestamp>#<type>#<recipient>}): what feedback recorded as handled. */
    List<String> eventKeys(String messageId) {
        return dynamo.queryPaginator(b -> b.tableName(EVENTS).consistentRead(true).keyConditionExpression("messageId = :m")
                        .expressionAttributeValues(Map.of(":m", AttributeValue.fromS(messageId))))
                .items().stream().map(item -> item.get("eventKey").s()).toList();
    }

    /** Whether launch, send and SES-event queues hold nothing: visible, in flight or delayed. */
    boolean queuesEmpty() {
        return WORK_QUEUES.stream().allMatch(queue -> messages(queue) == 0);
    }

    /** Messages on each work queue and its dead-letter queue (visible + in flight + delayed), for the report. */
    Map<String, Long> queueDepths() {
        Map<String, Long> depths = new java.util.LinkedHashMap<>();
        for (String queue : WORK_QUEUES) {
            depths.put(queue, messages(queue));
            String deadLetters = queue.endsWith(".fifo") ? queue.replace(".fifo", "-dlq.fifo") : queue + "-dlq";
            depths.put(deadLetters, messages(deadLetters));
        }
        return depths;
    }

    private long messages(String queue) {
        String url = sqs.getQueueUrl(b -> b.queueName(queue)).queueUrl();
        return sqs.getQueueAttributes(b -> b.queueUrl(url).attributeNames(
                        QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                        QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE,
                        QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED))
                .attributes().values().stream().mapToLong(Long::parseLong).sum();
    }

    @Override
    public void close() {
        s3.close();
        dynamo.close();
        sqs.close();
    }
}
