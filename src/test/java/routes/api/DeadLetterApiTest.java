package routes.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.http.HttpMethod;
import org.springframework.http.ResponseEntity;
import routes.MailroutesTest;
import routes.aws.AwsProperties;
import routes.aws.Tables;
import routes.localaws.AwsFaults;
import routes.model.CampaignStatus;
import routes.model.SendChunk;
import routes.send.SendFixture;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.SendMessageRequest;

/** An operator's look into the dead-letter queues through the API: list, redrive, discard. */
@MailroutesTest
class DeadLetterApiTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @Autowired TestRestTemplate http;
    @Autowired ObjectMapper json;
    @Autowired SqsClient sqs;
    @Autowired DynamoDbClient dynamo;
    @Autowired AwsProperties aws;
    @Autowired AwsFaults faults;

    @Test
    void aForgedSesEventIsListedWithTheReasonItWasParkedForAndListingLeavesItThere() throws Exception {
        String marker = UUID.randomUUID().toString();
        String forged = json.createObjectNode().put("Type", "Notification").put("MessageId", marker)
                .put("TopicArn", "arn:aws:sns:us-east-1:666666666666:" + aws.topics().sesEvents())
                .put("Message", "{}").toString();
        sqs.sendMessage(b -> b.queueUrl(url(aws.queues().sesEvents())).messageBody(forged));

        JsonNode parked = await().atMost(WAIT).until(() -> listed("ses-events", marker), entry -> entry != null);
        assertThat(parked.path("reason").asText()).contains("not on the allow-list");
        assertThat(parked.path("receiveCount").asInt()).isPositive();
        assertThat(parked.path("ageSeconds").asLong()).isNotNegative();

        JsonNode again = listed("ses-events", parked.path("id").asText());
        assertThat(again).as("still parked after being listed").isNotNull();
        assertThat(again.path("excerpt").asText()).contains(marker);
    }

    @Test
    void aSendChunkInItsDeadLetterQueueSaysWhichRecipientFailedAndWhy() throws Exception {
        // Through the front door: an API email whose stored content S3 does not serve, so the send gives up on
        // this receive and writes why on the recipient's row.
        faults.failNext("GetObject", aws.bucket(), 1000);
        try {
            String to = "parked-" + UUID.randomUUID() + "@example.org";
            ResponseEntity<String> accepted = call(HttpMethod.POST, "/api/v1/emails", json.writeValueAsString(
                    Map.of("to", List.of(to), "subject", "Parked", "bodyText", "Hello")));
            assertThat(accepted.getStatusCode().value()).as(accepted.getBody()).isEqualTo(202);
            String emailId = json.readTree(accepted.getBody()).path("emailId").asText();
            await().atMost(WAIT).until(() -> !json.readTree(call(HttpMethod.GET, "/api/v1/emails/" + emailId, null).getBody())
                    .path("lastError").isNull());
            // What SQS's redrive policy does after the last such receive: the chunk, unchanged, in the DLQ.
            SendChunk chunk = new SendChunk(null, SendChunk.NO_CHUNK, "Shop <shop@mailroutes.local>", null, null, Map.of(),
                    List.of(new SendChunk.Recipient(emailId, to, null, null, "Parked", null, Map.of())));
            String parkedChunk = body(chunk);
            sqs.sendMessage(b -> b.queueUrl(url(AwsProperties.deadLetterQueue(aws.queues().transactional())))
                    .messageBody(parkedChunk));

            JsonNode parked = await().atMost(WAIT).until(() -> listed("transactional", emailId), entry -> entry != null);

            assertThat(parked.path("reason").asText()).contains("recipient " + emailId).contains("InternalServerError")
                    .doesNotContain(to);
            call(HttpMethod.DELETE, "/api/v1/dead-letters/transactional/" + parked.path("id").asText(), null);
        } finally {
            faults.disarm();
        }
    }

    @Test
    void aChunkRedrivenFromTheSendDeadLetterQueueIsSent() throws Exception {
        SendFixture send = new SendFixture(dynamo, sqs, aws, json);
        SendChunk chunk = oneRecipientChunk(send);
        String parked = body(chunk);
        // As SQS's redrive policy leaves it: the chunk unchanged, no reason attribute.
        sqs.sendMessage(b -> b.queueUrl(url(AwsProperties.deadLetterQueue(aws.queues().send()))).messageBody(parked));

        ResponseEntity<String> redrive = call(HttpMethod.POST, "/api/v1/dead-letters/send/redrive", null);

        assertThat(redrive.getStatusCode().value()).isEqualTo(202);
        assertThat(json.readTree(redrive.getBody()).path("method").asText()).isEqualTo("message-move-task");
        await().atMost(WAIT).until(() -> send.mailsTo(chunk.recipients().get(0).email()).size() == 1);
    }

    @Test
    void aLaunchChunkRedrivenByIdGoesBackToTheFifoQueueAndIsSent() throws Exception {
        SendFixture send = new SendFixture(dynamo, sqs, aws, json);
        SendChunk chunk = oneRecipientChunk(send);
        String id = sqs.sendMessage(SendMessageRequest.builder()
                .queueUrl(url(AwsProperties.deadLetterQueue(aws.queues().launch()))).messageBody(body(chunk))
                .messageGroupId(chunk.campaignId()).messageDeduplicationId(chunk.campaignId() + "#0").build()).messageId();

        ResponseEntity<String> redrive = call(HttpMethod.POST, "/api/v1/dead-letters/launch/redrive",
                "{\"ids\": [\"" + id + "\"]}");

        assertThat(redrive.getStatusCode().value()).isEqualTo(202);
        JsonNode reply = json.readTree(redrive.getBody());
        assertThat(reply.path("method").asText()).isEqualTo("resend");
        assertThat(reply.path("moved").asInt()).isEqualTo(1);
        await().atMost(WAIT).until(() -> send.mailsTo(chunk.recipients().get(0).email()).size() == 1);
    }

    @Test
    void aDiscardedDeadLetterIsGoneAndTheDiscardIsAudited() throws Exception {
        String marker = UUID.randomUUID().toString();
        String id = sqs.sendMessage(b -> b.queueUrl(url(AwsProperties.deadLetterQueue(aws.queues().notifications())))
                .messageBody("{\"event\":\"" + marker + "\"}")).messageId();
        assertThat(listed("notifications", marker)).isNotNull();

        ResponseEntity<String> discard = call(HttpMethod.DELETE, "/api/v1/dead-letters/notifications/" + id, null);

        assertThat(discard.getStatusCode().value()).isEqualTo(204);
        assertThat(listed("notifications", marker)).isNull();
        assertThat(dynamo.query(b -> b.tableName(aws.table(Tables.EVENTS)).keyConditionExpression("messageId = :p")
                .expressionAttributeValues(Map.of(":p", AttributeValue.fromS(DeadLetterAdmin.AUDIT_PARTITION)))).items())
                .anySatisfy(audit -> {
                    assertThat(audit.get("eventKey").s()).contains("#DEAD_LETTER_DISCARDED#notifications#" + id);
                    assertThat(audit.get("actor").s()).isEqualTo("api");
                });
        assertThat(call(HttpMethod.DELETE, "/api/v1/dead-letters/notifications/" + id, null).getStatusCode().value())
                .isEqualTo(404);
    }

    @Test
    void anUnknownQueueIsNotFoundInTheApiErrorShape() throws Exception {
        ResponseEntity<String> response = call(HttpMethod.GET, "/api/v1/dead-letters/nonesuch", null);

        assertThat(response.getStatusCode().value()).isEqualTo(404);
        JsonNode error = json.readTree(response.getBody());
        assertThat(error.path("success").asBoolean(true)).isFalse();
        assertThat(error.path("error").asText()).isEqualTo("NOT_FOUND");
        assertThat(error.path("message").asText()).contains("nonesuch").contains("ses-events");
    }

    /** A chunk of a SENDING campaign with one recipient who has had no mail yet. */
    private static SendChunk oneRecipientChunk(SendFixture send) {
        String campaignId = send.campaign(CampaignStatus.SENDING, 1);
        return new SendChunk(campaignId, 0, "Mailroutes Tests <tests@mailroutes.local>", null, null, Map.of(),
                SendFixture.greeted(campaignId, 1));
    }

    private String body(SendChunk chunk) throws Exception {
        return json.writeValueAsString(chunk);
    }

    /** The entry whose id or body excerpt holds {@code marker}, looked for page by page; null if none. */
    private JsonNode listed(String queue, String marker) throws Exception {
        String cursor = "";
        do {
            JsonNode page = json.readTree(call(HttpMethod.GET, "/api/v1/dead-letters/" + queue + "?limit=100&cursor=" + cursor,
                    null).getBody());
            JsonNode found = StreamSupport.stream(page.path("items").spliterator(), false)
                    .filter(entry -> entry.path("id").asText().equals(marker) || entry.path("excerpt").asText().contains(marker))
                    .findFirst().orElse(null);
            if (found != null) {
                return found;
            }
            cursor = page.path("next").isNull() ? null : page.path("next").asText();
        } while (cursor != null);
        return null;
    }

    private ResponseEntity<String> call(HttpMethod method, String path, String body) {
        return http.exchange(path, method, ApiRequests.withKey(body), String.class);
    }

    private String url(String queue) {
        return sqs.getQueueUrl(b -> b.queueName(queue)).queueUrl();
    }
}
