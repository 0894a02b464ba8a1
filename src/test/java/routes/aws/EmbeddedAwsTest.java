package routes.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.client.TestRestTemplate;
import routes.MailroutesTest;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/** The embedded AWS, exercised through the very SDK clients the application uses. */
@MailroutesTest
class EmbeddedAwsTest {

    @Autowired AwsProperties aws;
    @Autowired S3Client s3;
    @Autowired SqsClient sqs;
    @Autowired DynamoDbClient dynamo;
    @Autowired TestRestTemplate http;

    @Test
    void s3StoresListsAndReturnsObjects() {
        String key = "scratch/" + UUID.randomUUID() + ".txt";
        s3.putObject(b -> b.bucket(aws.bucket()).key(key), RequestBody.fromString("hello"));

        assertThat(s3.listObjectsV2(b -> b.bucket(aws.bucket()).prefix("scratch/")).contents())
                .anyMatch(o -> o.key().equals(key) && o.size() == 5);
        assertThat(s3.getObjectAsBytes(b -> b.bucket(aws.bucket()).key(key)).asUtf8String()).isEqualTo("hello");
    }

    @Test
    void provisionedQueuesRedriveToTheirDeadLetterQueue() {
        String url = sqs.getQueueUrl(b -> b.queueName(aws.queues().notifications())).queueUrl();
        String redrive = sqs.getQueueAttributes(b -> b.queueUrl(url).attributeNames(QueueAttributeName.REDRIVE_POLICY))
                .attributes().get(QueueAttributeName.REDRIVE_POLICY);
        assertThat(redrive).contains(AwsProperties.deadLetterQueue(aws.queues().notifications()))
                .contains(String.valueOf(aws.maxReceiveCount()));
    }

    @Test
    void aMessageReceivedMaxReceiveCountTimesMovesToTheDeadLetterQueue() {
        String dlq = sqs.createQueue(b -> b.queueName("scratch-" + UUID.randomUUID() + "-dlq")).queueUrl();
        String dlqArn = sqs.getQueueAttributes(b -> b.queueUrl(dlq).attributeNames(QueueAttributeName.QUEUE_ARN))
                .attributes().get(QueueAttributeName.QUEUE_ARN);
        String queue = sqs.createQueue(b -> b.queueName("scratch-" + UUID.randomUUID()).attributes(Map.of(
                QueueAttributeName.REDRIVE_POLICY, "{\"deadLetterTargetArn\":\"" + dlqArn + "\",\"maxReceiveCount\":\"2\"}",
                QueueAttributeName.VISIBILITY_TIMEOUT, "0"))).queueUrl();
        sqs.sendMessage(b -> b.queueUrl(queue).messageBody("poison"));

        for (int receive = 0; receive < 2; receive++) {
            await().atMost(Duration.ofSeconds(5)).until(() -> !receive(queue).isEmpty());
        }

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(receive(queue)).isEmpty();
            assertThat(receive(dlq)).extracting(Message::body).containsExactly("poison");
        });
    }

    @Test
    void dynamoRejectsASecondConditionalPutOfTheSameKey() {
        String table = aws.table(Tables.SUPPRESSIONS);
        Map<String, AttributeValue> item = Map.of("email", AttributeValue.fromS(UUID.randomUUID() + "@example.org"));
        dynamo.putItem(b -> b.tableName(table).item(item).conditionExpression("attribute_not_exists(email)"));

        assertThatThrownBy(() -> dynamo.putItem(b -> b.tableName(table).item(item)
                .conditionExpression("attribute_not_exists(email)")))
                .isInstanceOf(ConditionalCheckFailedException.class);
    }

    @Test
    void theApplicationReportsHealthy() {
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(http.getForObject("/readyz", String.class)).contains("\"status\":\"UP\""));
    }

    private List<Message> receive(String queueUrl) {
        return sqs.receiveMessage(b -> b.queueUrl(queueUrl).maxNumberOfMessages(10).waitTimeSeconds(1)).messages();
    }
}
