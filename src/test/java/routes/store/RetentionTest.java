package routes.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.client.TestRestTemplate;
import routes.MailroutesTest;
import routes.api.ApiRequests;
import routes.aws.AwsProperties;
import routes.aws.Tables;
import routes.model.MessageStatus;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** Per-message data expires after {@code mailroutes.aws.retention} (90 days): DynamoDB deletes rows by their ttl. */
@MailroutesTest
class RetentionTest {

    @Autowired TestRestTemplate http;
    @Autowired DynamoDbClient dynamo;
    @Autowired AwsProperties aws;
    @Autowired ObjectMapper json;

    @Test
    void aSentEmailsRowExpiresNinetyDaysAfterItsSend() throws Exception {
        String to = "retention-" + UUID.randomUUID().toString().substring(0, 8) + "@example.org";
        String body = json.writeValueAsString(Map.of("to", List.of(to), "subject", "Code", "bodyText", "123456"));
        String emailId = json.readTree(http.postForObject("/api/v1/emails", ApiRequests.withKey(body), String.class))
                .path("emailId").asText();
        Instant sent = Instant.now();

        Map<String, AttributeValue> row = await().atMost(Duration.ofSeconds(20)).until(
                () -> dynamo.getItem(b -> b.tableName(aws.table(Tables.MESSAGES))
                        .key(Map.of("messageId", AttributeValue.fromS(emailId)))).item(),
                item -> item.containsKey("status") && !item.get("status").s().equals(MessageStatus.QUEUED.name())
                        && !item.get("status").s().equals(MessageStatus.SENDING.name()));

        long expiresAt = Long.parseLong(row.get("ttl").n());
        long ninetyDaysAfter = sent.plus(Duration.ofDays(90)).getEpochSecond();
        assertThat(expiresAt).isBetween(ninetyDaysAfter - 60, ninetyDaysAfter + 60);
    }
}
