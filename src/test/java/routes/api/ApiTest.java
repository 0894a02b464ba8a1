package routes.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static routes.api.ApiRequests.KEY;
import static routes.api.ApiRequests.headers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.http.HttpEntity;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.ResponseEntity;
import routes.MailroutesTest;
import routes.aws.AwsProperties;
import routes.aws.Tables;
import routes.feedback.AnalyticsFiles;
import routes.feedback.FeedbackBatches;
import routes.localaws.TopicTap;
import routes.model.MessageStatus;
import routes.store.Ledger;
import routes.store.MessageQueries;
import routes.store.SuppressionList;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/** The HTTP API as a backend team uses it: key, JSON in, JSON out, seed 004 errors. */
@MailroutesTest
class ApiTest {

    /** A second caller with scope send (LocalAwsEnvironment). */
    private static final String OTHER_SENDER = "local-send-key";

    @Autowired TestRestTemplate http;
    @Autowired ObjectMapper json;
    @Autowired Ledger ledger;
    @Autowired MessageQueries messages;
    @Autowired SuppressionList suppressions;
    @Autowired DynamoDbClient dynamo;
    @Autowired SqsClient sqs;
    @Autowired S3Client s3;
    @Autowired AwsProperties aws;
    @Autowired FeedbackBatches batches;
    @Autowired SnsClient sns;

    @Test
    void aMissingOrWrongKeyIs401() throws Exception {
        assertThat(call(HttpMethod.GET, "/api/v1/campaigns", null, null).getStatusCode().value()).isEqualTo(401);
        ResponseEntity<String> wrong = call(HttpMethod.GET, "/api/v1/campaigns", null, "not-the-key");
        assertThat(wrong.getStatusCode().value()).isEqualTo(401);
        assertThat(json.readTree(wrong.getBody()).path("error").asText()).isEqualTo("UNAUTHORIZED");
    }

    @Test
    void aTransactionalEmailIsQueuedInTheLedgerAndOnTheTransactionalLane() throws Exception {
        String to = unique("ann") + "@example.org";
        ResponseEntity<String> response = post("/api/v1/emails", Map.of("to", List.of(to), "subject", "Welcome",
                "bodyText", "Hello", "metadata", Map.of("userId", "12345")));

        assertThat(response.getStatusCode().value()).isEqualTo(202);
        assertThat(response.getHeaders().containsKey("X-API-Key")).isFalse();
        String emailId = json.readTree(response.getBody()).path("emailId").asText();
        MessageQueries.Details row = messages.details(emailId).orElseThrow();
        assertThat(row.entry().recipient()).isEqualTo(to);
        assertThat(row.entry().campaignId()).isNull();
        assertThat(row.metadata()).containsEntry("userId", "12345");
        assertThat(s3.getObjectAsBytes(b -> b.bucket(aws.bucket()).key("transactional/" + emailId + ".json")).asUtf8String())
                .contains("\"bodyText\":\"Hello\"");
        String lane = sqs.getQueueUrl(b -> b.queueName(aws.queues().transactional())).queueUrl();
        // Either the chunk is still on the lane, or the send flow has taken it and moved the row on.
        await().atMost(Duration.ofSeconds(10)).until(() -> sqs.receiveMessage(b -> b.queueUrl(lane).maxNumberOfMessages(10)
                .visibilityTimeout(0)).messages().stream().anyMatch(m -> onLane(m.body(), emailId, to))
                || ledger.find(emailId).orElseThrow().status() != MessageStatus.QUEUED);

        // The send and feedback flows move the row on meanwhile; the API reports the ledger's status at its time.
        MessageStatus before = ledger.find(emailId).orElseThrow().status();
        JsonNode status = json.readTree(call(HttpMethod.GET, "/api/v1/emails/" + emailId, null, KEY).getBody());
        MessageStatus after = ledger.find(emailId).orElseThrow().status();
        assertThat(MessageStatus.valueOf(status.path("status").asText()).rank()).isBetween(before.rank(), after.rank());
        assertThat(status.path("metadata").path("userId").asText()).isEqualTo("12345");
        JsonNode byRecipient = json.readTree(call(HttpMethod.GET, "/api/v1/emails?recipient=" + to, null, KEY).getBody());
        assertThat(byRecipient.path("items")).extracting(n -> n.path("emailId").asText()).containsExactly(emailId);
    }

    @Test
    void theSameIdempotencyKeyGivesTheSameEmailAndAnotherBodyUnderItIs409() throws Exception {
        String key = UUID.randomUUID().toString();
        Map<String, Object> body = Map.of("to", List.of(unique("bob") + "@example.org"), "subject", "Hi", "bodyHtml", "<p>Hi</p>");
        String first = json.readTree(post("/api/v1/emails", body, key).getBody()).path("emailId").asText();
        ResponseEntity<String> again = post("/api/v1/emails", body, key);
        assertThat(again.getStatusCode().value()).isEqualTo(202);
        assertThat(json.readTree(again.getBody()).path("emailId").asText()).isEqualTo(first);

        ResponseEntity<String> other = post("/api/v1/emails", Map.of("to", List.of("x@example.org"), "subject", "Other", "bodyText", "x"), key);
        assertThat(other.getStatusCode().value()).isEqualTo(409);
    }

    @Test
    void anIdempotencyKeyBelongsToTheCallerThatUsedItAnotherKeyNeitherRepeatsNorBlocksIt() throws Exception {
        String blocking = UUID.randomUUID().toString();
        String repeated = UUID.randomUUID().toString();
        Map<String, Object> first = Map.of("to", List.of(unique("kim") + "@example.org"), "subject", "Hi", "bodyText", "Hi");
        Map<String, Object> second = Map.of("to", List.of(unique("lou") + "@example.org"), "subject", "Hi", "bodyText", "Hi");
        post("/api/v1/emails", first, blocking);
        String mine = json.readTree(post("/api/v1/emails", second, repeated).getBody()).path("emailId").asText();

        ResponseEntity<String> otherBody = post("/api/v1/emails",
                Map.of("to", List.of(unique("lee") + "@example.org"), "subject", "Other", "bodyText", "x"), blocking, OTHER_SENDER);
        ResponseEntity<String> sameBody = post("/api/v1/emails", second, repeated, OTHER_SENDER);

        assertThat(otherBody.getStatusCode().value()).as("not a 409: the key is the other caller's own").isEqualTo(202);
        assertThat(sameBody.getStatusCode().value()).isEqualTo(202);
        assertThat(json.readTree(sameBody.getBody()).path("emailId").asText()).as("not the first caller's email").isNotEqualTo(mine);
    }

    @Test
    void badEmailRequestsAre400WithFieldAndConstraint() throws Exception {
        assertInvalid(post("/api/v1/emails", Map.of("subject", "Hi", "bodyText", "x")), "to", "required");
        assertInvalid(post("/api/v1/emails", Map.of("to", List.of("a@example.org"), "bodyText", "x")), "subject", "required");
        assertInvalid(post("/api/v1/emails", Map.of("to", List.of("a@example.org"), "subject", "Hi")), "bodyText", "required");
        assertInvalid(post("/api/v1/emails", Map.of("to", List.of("a@example.org"), "cc", List.of("not-an-address"),
                "subject", "Hi", "bodyText", "x")), "cc", "email");
        assertInvalid(post("/api/v1/emails", Map.of("to", List.of("a@example.org"), "subject", "Hi", "bodyText", "x",
                "template", "welcome")), "template", "exclusive");
        assertInvalid(post("/api/v1/emails", Map.of("to", List.of("a@example.org"), "subject", "Hi", "bodyText", "x",
                "colour", "blue")), "colour", "unknown");
        assertInvalid(post("/api/v1/emails", Map.of("to", List.of("a@example.org"), "subject", "Hi", "bodyText", "x",
                "attachments", List.of(Map.of("filename", "a.pdf", "content", "%%%")))), "attachments[0].content", "base64");
        assertInvalid(call(HttpMethod.POST, "/api/v1/emails", "{not json", KEY), "body", "type");
    }

    @Test
    void aSenderTheMimeLayerCannotWriteIsRefusedInsteadOfLeftSending() throws Exception {
        assertInvalid(post("/api/v1/emails", Map.of("to", List.of("a@example.org"), "subject", "Hi", "bodyText", "x",
                "from", "Doe, Jane <team@example.org>")), "from", "email");
        assertInvalid(post("/api/v1/emails", Map.of("to", List.of("a@example.org"), "subject", "Hi", "bodyText", "x",
                "replyTo", "help@example.org, sales@example.org")), "replyTo", "email");

        ResponseEntity<String> quoted = post("/api/v1/emails", Map.of("to", List.of("a@example.org"), "subject", "Hi",
                "bodyText", "x", "from", "\"Doe, Jane\" <team@example.org>"));
        assertThat(quoted.getStatusCode().value()).as(quoted.getBody()).isEqualTo(202);
    }

    @Test
    void badQueriesAre400AndUnknownIdsAre404() throws Exception {
        assertInvalid(call(HttpMethod.GET, "/api/v1/emails", null, KEY), "recipient", "recipient or campaignId required");
        assertInvalid(call(HttpMethod.GET, "/api/v1/emails?campaignId=x&status=LOST", null, KEY), "status", null);
        assertInvalid(call(HttpMethod.GET, "/api/v1/emails?campaignId=x&limit=0", null, KEY), "limit", null);
        assertInvalid(call(HttpMethod.GET, "/api/v1/emails?campaignId=x&cursor=!!", null, KEY), "cursor", "cursor");
        assertInvalid(call(HttpMethod.GET, "/api/v1/campaigns?status=SLEEPING", null, KEY), "status", null);
        assertInvalid(call(HttpMethod.GET, "/api/v1/suppressions?limit=1000", null, KEY), "limit", null);
        assertInvalid(call(HttpMethod.DELETE, "/api/v1/recipients/not-an-address", null, KEY), "email", "email");
        assertInvalid(call(HttpMethod.DELETE, "/api/v1/suppressions/not-an-address", null, KEY), "email", "email");
        assertInvalid(call(HttpMethod.POST, "/api/v1/suppressions", "[1]", KEY), "body", "object");
        assertInvalid(call(HttpMethod.POST, "/api/v1/webhooks/no_such!/replay", null, KEY), "subscriberId", null);
        assertThat(call(HttpMethod.GET, "/api/v1/emails/" + UUID.randomUUID(), null, KEY).getStatusCode().value()).isEqualTo(404);
        assertThat(call(HttpMethod.GET, "/api/v1/campaigns/" + unique("none"), null, KEY).getStatusCode().value()).isEqualTo(404);
    }

    @Test
    void aCampaignIsListedShownWithRatesPausedResumedAndCancelled() throws Exception {
        String id = unique("spring");
        dynamo.putItem(b -> b.tableName(aws.table(Tables.CAMPAIGNS)).item(Map.of("campaignId", AttributeValue.fromS(id),
                "name", AttributeValue.fromS("Spring"), "status", AttributeValue.fromS("SENDING"),
                "sendAt", AttributeValue.fromS("2026-01-01T00:00:00Z"),
                "sentCount", AttributeValue.fromN("200"), "deliveredCount", AttributeValue.fromN("190"),
                "bouncedCount", AttributeValue.fromN("10"))));

        JsonNode listed = json.readTree(call(HttpMethod.GET, "/api/v1/campaigns?status=SENDING&limit=100", null, KEY).getBody());
        assertThat(listed.path("items")).extracting(n -> n.path("campaignId").asText()).contains(id);
        JsonNode shown = json.readTree(call(HttpMethod.GET, "/api/v1/campaigns/" + id, null, KEY).getBody());
        assertThat(shown.path("counts").path("delivered").asLong()).isEqualTo(190);
        assertThat(shown.path("rates").path("bounce").asDouble()).isEqualTo(0.05);

        TopicTap statuses = TopicTap.on(aws.topics().status(), sns, sqs);
        assertThat(json.readTree(call(HttpMethod.POST, "/api/v1/campaigns/" + id + "/pause", null, KEY).getBody())
                .path("status").asText()).isEqualTo("PAUSED");
        assertThat(call(HttpMethod.POST, "/api/v1/campaigns/" + id + "/pause", null, KEY).getStatusCode().value()).isEqualTo(409);
        // Webhook subscribers hear of it: campaign.paused with seed 002's summary counts.
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(statuses.receive()).anySatisfy(body -> {
            JsonNode event = json.readTree(body);
            assertThat(event.path("type").asText()).isEqualTo("campaign.paused");
            assertThat(event.path("campaignId").asText()).isEqualTo(id);
            assertThat(event.path("detail").path("reason").asText()).isEqualTo("api");
            assertThat(event.path("detail").path("summary").path("delivered").asLong()).isEqualTo(190);
            assertThat(event.path("detail").path("summary").path("bounced").asLong()).isEqualTo(10);
        }));
        assertThat(json.readTree(call(HttpMethod.POST, "/api/v1/campaigns/" + id + "/resume", null, KEY).getBody())
                .path("status").asText()).isEqualTo("SCHEDULED");
        assertThat(json.readTree(call(HttpMethod.POST, "/api/v1/campaigns/" + id + "/cancel", null, KEY).getBody())
                .path("status").asText()).isEqualTo("CANCELLED");
        assertThat(call(HttpMethod.POST, "/api/v1/campaigns/" + id + "/resume", null, KEY).getStatusCode().value()).isEqualTo(409);
    }

    @Test
    void aManualSuppressionIsAddedListedAndRemovedWithAnAuditEntry() throws Exception {
        String address = unique("carol") + "@example.org";
        ResponseEntity<String> added = post("/api/v1/suppressions", Map.of("email", address, "detail", "asked by phone"));
        assertThat(added.getStatusCode().value()).isEqualTo(201);
        assertThat(json.readTree(added.getBody()).path("reason").asText()).isEqualTo("MANUAL");
        assertThat(post("/api/v1/suppressions", Map.of("email", address)).getStatusCode().value()).isEqualTo(409);
        assertInvalid(post("/api/v1/suppressions", Map.of("email", "nope")), "email", "email");
        assertThat(allPages("/api/v1/suppressions?limit=100")).contains(address);

        assertThat(call(HttpMethod.DELETE, "/api/v1/suppressions/" + address, null, KEY).getStatusCode().value()).isEqualTo(204);
        assertThat(suppressions.find(address)).isEmpty();
        assertThat(dynamo.query(b -> b.tableName(aws.table(Tables.EVENTS)).keyConditionExpression("messageId = :m")
                .expressionAttributeValues(Map.of(":m", AttributeValue.fromS(SuppressionList.AUDIT_PARTITION)))).items())
                .anyMatch(item -> item.get("eventKey").s().endsWith(SuppressionList.pseudonym(address)));
        assertThat(call(HttpMethod.DELETE, "/api/v1/suppressions/" + address, null, KEY).getStatusCode().value()).isEqualTo(404);
    }

    @Test
    void anAddressPercentEncodedInThePathWorksAsItDoesRaw() throws Exception {
        String address = unique("eve+news") + "@example.org";
        assertThat(post("/api/v1/suppressions", Map.of("email", address)).getStatusCode().value()).isEqualTo(201);

        String encoded = URLEncoder.encode(address, StandardCharsets.UTF_8);
        assertThat(encoded).contains("%40").contains("%2B");
        URI path = URI.create(http.getRootUri() + "/api/v1/suppressions/" + encoded);
        ResponseEntity<String> removed = http.exchange(path, HttpMethod.DELETE, new HttpEntity<>(null, headers(KEY)), String.class);

        assertThat(removed.getStatusCode().value()).as(removed.getBody()).isEqualTo(204);
        assertThat(suppressions.find(address)).isEmpty();
        URI erase = URI.create(http.getRootUri() + "/api/v1/recipients/" + encoded);
        assertThat(http.exchange(erase, HttpMethod.DELETE, new HttpEntity<>(null, headers(KEY)), String.class)
                .getStatusCode().is2xxSuccessful()).isTrue();
    }

    @Test
    void erasureRemovesTheAddressFromEveryTable() throws Exception {
        String address = unique("dave") + "@example.org";
        String emailId = json.readTree(post("/api/v1/emails", Map.of("to", List.of(address), "subject", "Hi", "bodyText", "x",
                "metadata", Map.of("name", "Dave"))).getBody()).path("emailId").asText();
        // Erased once SES has reported on it: an event arriving after the erasure would carry the address again.
        await().atMost(Duration.ofSeconds(20)).until(() -> ledger.find(emailId).orElseThrow().status() == MessageStatus.DELIVERED);
        await().atMost(Duration.ofSeconds(20)).ignoreException(NoSuchKeyException.class).until(() -> {
            batches.flushNow();
            return analyticsNaming(address) > 0;
        });
        dynamo.putItem(b -> b.tableName(aws.table(Tables.EVENTS)).item(Map.of("messageId", AttributeValue.fromS(emailId),
                "eventKey", AttributeValue.fromS("2026-01-01T00:00:00Z#Delivery#" + address),
                "recipient", AttributeValue.fromS(address))));
        suppressions.suppress(address, SuppressionList.Reason.COMPLAINT, null, emailId);

        ResponseEntity<String> erased = call(HttpMethod.DELETE, "/api/v1/recipients/" + address, null, KEY);

        assertThat(erased.getStatusCode().value()).isEqualTo(200);
        assertThat(json.readTree(erased.getBody()).path("suppressionKept").asBoolean()).isTrue();
        for (String table : List.of(Tables.CAMPAIGNS, Tables.MESSAGES, Tables.EVENTS, Tables.SUPPRESSIONS)) {
            assertThat(dynamo.scanPaginator(b -> b.tableName(aws.table(table))).items().stream()
                    .map(Object::toString).filter(item -> item.toLowerCase().contains(address))).as(table).isEmpty();
        }
        assertThat(suppressions.find(SuppressionList.pseudonym(address))).isPresent();
        assertThat(analyticsNaming(address)).as("analytics lines naming the address").isZero();
        assertThat(json.readTree(erased.getBody()).path("analyticsFilesRewritten").asInt()).isPositive();
        assertThat(s3.listObjectsV2(b -> b.bucket(aws.bucket()).prefix("transactional/" + emailId)).contents()).isEmpty();
        assertThat(json.readTree(call(HttpMethod.GET, "/api/v1/emails/" + emailId, null, KEY).getBody())
                .path("events").get(0).path("type").asText()).isEqualTo("Delivery");
    }

    @Test
    void theOpenApiDocumentIsServed() {
        ResponseEntity<String> doc = http.getForEntity("/api/v1/openapi.json", String.class);
        assertThat(doc.getStatusCode().value()).isEqualTo(200);
        assertThat(doc.getBody()).contains("/api/v1/emails");
    }

    /** Lines of today's analytics files that name the address. */
    private long analyticsNaming(String address) {
        return AnalyticsFiles.linesOf(s3, aws.bucket(), LocalDate.now(ZoneOffset.UTC)).stream()
                .filter(line -> line.toLowerCase().contains(address)).count();
    }

    private boolean onLane(String body, String emailId, String to) {
        try {
            JsonNode chunk = json.readTree(body);
            JsonNode recipient = chunk.path("recipients").path(0);
            return chunk.path("campaignId").isNull() && recipient.path("messageId").asText().equals(emailId)
                    && recipient.path("email").asText().equals(to);
        } catch (Exception notAChunk) {
            return false;
        }
    }

    private List<String> allPages(String path) throws Exception {
        List<String> emails = new java.util.ArrayList<>();
        String next = null;
        do {
            ResponseEntity<String> response = call(HttpMethod.GET, path + (next == null ? "" : "&cursor=" + next), null, KEY);
            assertThat(response.getStatusCode().value()).as(response.getBody()).isEqualTo(200);
            JsonNode page = json.readTree(response.getBody());
            page.path("items").forEach(item -> emails.add(item.path("email").asText()));
            next = page.path("next").isNull() || page.path("next").isMissingNode() ? null : page.path("next").asText();
        } while (next != null);
        return emails;
    }

    private void assertInvalid(ResponseEntity<String> response, String field, String constraint) throws Exception {
        assertThat(response.getStatusCode().value()).as(response.getBody()).isEqualTo(400);
        JsonNode error = json.readTree(response.getBody());
        assertThat(error.path("success").asBoolean(true)).isFalse();
        assertThat(error.path("error").asText()).isEqualTo("VALIDATION_ERROR");
        assertThat(error.path("details").path("field").asText()).isEqualTo(field);
        if (constraint != null) {
            assertThat(error.path("details").path("constraint").asText()).isEqualTo(constraint);
        }
    }

    private ResponseEntity<String> post(String path, Object body) throws Exception {
        return post(path, body, null);
    }

    private ResponseEntity<String> post(String path, Object body, String idempotencyKey) throws Exception {
        return post(path, body, idempotencyKey, KEY);
    }

    private ResponseEntity<String> post(String path, Object body, String idempotencyKey, String apiKey) throws Exception {
        HttpHeaders headers = headers(apiKey);
        if (idempotencyKey != null) {
            headers.set("Idempotency-Key", idempotencyKey);
        }
        return http.exchange(path, HttpMethod.POST, new HttpEntity<>(json.writeValueAsString(body), headers), String.class);
    }

    private ResponseEntity<String> call(HttpMethod method, String path, String body, String key) {
        return http.exchange(path, method, new HttpEntity<>(body, headers(key)), String.class);
    }

    private static String unique(String name) {
        return name + "-" + UUID.randomUUID().toString().substring(0, 8);
    }
}
