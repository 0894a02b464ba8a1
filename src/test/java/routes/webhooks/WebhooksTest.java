package routes.webhooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.http.HttpMethod;
import org.springframework.http.ResponseEntity;
import routes.MailroutesTest;
import routes.api.ApiRequests;
import routes.aws.AwsProperties;
import routes.aws.Tables;
import routes.model.StatusEvent;
import routes.webhooks.WebhookProperties.Subscriber;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

/** Status events from the notifications queue to subscribers on loopback, as the subscribers see them. */
@MailroutesTest
class WebhooksTest {

    static final WebhookPeer PEER = new WebhookPeer();

    @Autowired WebhookSubscribers subscribers;
    @Autowired TestRestTemplate http;
    @Autowired SqsClient sqs;
    @Autowired DynamoDbClient dynamo;
    @Autowired AwsProperties aws;
    @Autowired ObjectMapper json;

    @AfterAll
    static void stopPeer() {
        PEER.close();
    }

    @Test
    void everyActiveSecretSignsAndTheSignatureVerifiesIndependently() throws Exception {
        String campaign = unique("signed");
        String oldSecret = "whsec_" + Base64.getEncoder().encodeToString("old-secret-bytes".getBytes(StandardCharsets.UTF_8));
        String newSecret = "plain-new-secret";
        subscribe(campaign, PEER.script("/" + campaign, 200), List.of(oldSecret, newSecret));

        String payload = publish(event(campaign, "message.delivered"));

        await().atMost(Duration.ofSeconds(20)).until(() -> PEER.received("/" + campaign).size() == 1);
        WebhookPeer.Received delivery = PEER.received("/" + campaign).get(0);
        assertThat(delivery.body()).isEqualTo(payload);
        String signed = delivery.header("webhook-id") + "." + delivery.header("webhook-timestamp") + "." + delivery.body();
        assertThat(delivery.header("webhook-signature").split(" ")).containsExactlyInAnyOrder(
                "v1," + hmac(Base64.getDecoder().decode(oldSecret.substring(6)), signed),
                "v1," + hmac(newSecret.getBytes(StandardCharsets.UTF_8), signed));
        assertThat(Long.parseLong(delivery.header("webhook-timestamp"))).isCloseTo(Instant.now().getEpochSecond(), Offset.offset(60L));
        assertThat(delivery.header("content-type")).startsWith("application/json");
        assertThat(delivery.headers().keySet()).noneMatch(h -> h.toLowerCase().startsWith("camel"));
    }

    @Test
    void aSubscriberThatFailsTwiceGetsExactlyOneAcceptedDelivery() throws Exception {
        String campaign = unique("flaky");
        subscribe(campaign, PEER.script("/" + campaign, 503, 500, 200), List.of("s"));

        publish(event(campaign, "message.delivered"));

        await().atMost(Duration.ofSeconds(20)).until(() -> PEER.received("/" + campaign).size() >= 3);
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5))
                .until(() -> PEER.received("/" + campaign).size() == 3);
        assertThat(PEER.received("/" + campaign)).extracting(WebhookPeer.Received::answered).containsExactly(503, 500, 200);
        assertThat(PEER.received("/" + campaign)).extracting(r -> r.header("webhook-id")).containsOnly(
                PEER.received("/" + campaign).get(0).header("webhook-id"));
    }

    @Test
    void aRejectingSubscriberGoesToTheDeadLetterQueueAndComesBackWithReplay() throws Exception {
        String campaign = unique("gone");
        String path = "/" + campaign;
        String subscriberId = subscribe(campaign, PEER.script(path, 410), List.of("s"));

        publish(event(campaign, "message.bounced"));

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(deadLetters(subscriberId))
                .singleElement().satisfies(m -> {
                    assertThat(m.messageAttributes().get("lastStatus").stringValue()).isEqualTo("410");
                    assertThat(m.messageAttributes().get("lastError").stringValue()).contains("410");
                }));
        assertThat(PEER.received(path)).hasSize(1);

        PEER.script(path, 200);
        AtomicInteger replayed = new AtomicInteger();
        await().atMost(Duration.ofSeconds(20)).until(() -> replayed.addAndGet(replayThroughTheApi(subscriberId)) == 1);

        await().atMost(Duration.ofSeconds(20)).until(() -> PEER.received(path).size() == 2);
        assertThat(PEER.received(path).get(1).answered()).isEqualTo(200);
        assertThat(PEER.received(path).get(1).body()).isEqualTo(PEER.received(path).get(0).body());
    }

    @Test
    void theCircuitOpensForADeadSubscriberAndItsEventsEndInTheDeadLetterQueue() throws Exception {
        String campaign = unique("dead");
        String path = "/" + campaign;
        String subscriberId = subscribe(campaign, PEER.script(path, 503), List.of("s"));

        publish(event(campaign, "message.delivered"));

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(deadLetters(subscriberId))
                .singleElement().satisfies(m -> assertThat(m.messageAttributes().get("lastError").stringValue())
                        .contains("CallNotPermittedException")));
        // minimum-number-of-calls is 4 in tests: after 4 failed calls the breaker stops further calls.
        assertThat(PEER.received(path)).hasSize(4);
    }

    @Test
    void aCampaignSummaryReachesTheCampaignsCallbackUrl() throws Exception {
        String campaign = unique("summary");
        String url = PEER.script("/" + campaign, 200);
        dynamo.putItem(b -> b.tableName(aws.table(Tables.CAMPAIGNS)).item(Map.of(
                "campaignId", AttributeValue.fromS(campaign), "status", AttributeValue.fromS("COMPLETED"),
                "callbackUrl", AttributeValue.fromS(url))));
        StatusEvent summary = new StatusEvent(UUID.randomUUID().toString(), "campaign.completed", Instant.now().toString(),
                null, campaign, null, "COMPLETED", Map.of("delivered", 950, "bounced", 30), Map.of());

        publish(summary);

        await().atMost(Duration.ofSeconds(20)).until(() -> PEER.received("/" + campaign).size() == 1);
        assertThat(json.readTree(PEER.received("/" + campaign).get(0).body()).at("/detail/delivered").asInt()).isEqualTo(950);
    }

    private int replayThroughTheApi(String subscriberId) throws Exception {
        ResponseEntity<String> response = http.exchange("/api/v1/webhooks/" + subscriberId + "/replay", HttpMethod.POST,
                ApiRequests.withKey(null), String.class);
        assertThat(response.getStatusCode().value()).isEqualTo(202);
        return json.readTree(response.getBody()).path("replayed").asInt();
    }

    private String subscribe(String campaign, String url, List<String> secrets) {
        String id = campaign;
        subscribers.register(new Subscriber(id, url, secrets, List.of(), List.of(campaign), true));
        return id;
    }

    private StatusEvent event(String campaign, String type) {
        return new StatusEvent(UUID.randomUUID().toString(), type, Instant.now().toString(), UUID.randomUUID().toString(),
                campaign, "ann@example.org", type.substring("message.".length()).toUpperCase(), Map.of(), Map.of("userId", "42"));
    }

    private String publish(StatusEvent event) throws Exception {
        String payload = json.writeValueAsString(event);
        String queue = sqs.getQueueUrl(b -> b.queueName(aws.queues().notifications())).queueUrl();
        sqs.sendMessage(b -> b.queueUrl(queue).messageBody(payload));
        return payload;
    }

    /** This subscriber's DLQ entries; everything received is released again at once for other readers. */
    private List<Message> deadLetters(String subscriberId) {
        String dlq = sqs.getQueueUrl(b -> b.queueName(AwsProperties.deadLetterQueue(aws.queues().webhooks()))).queueUrl();
        List<Message> all = sqs.receiveMessage(b -> b.queueUrl(dlq).maxNumberOfMessages(10).visibilityTimeout(5)
                .messageAttributeNames("All")).messages();
        all.forEach(m -> sqs.changeMessageVisibility(b -> b.queueUrl(dlq).receiptHandle(m.receiptHandle()).visibilityTimeout(0)));
        return all.stream().filter(m -> m.messageAttributes().containsKey("subscriberId")
                && m.messageAttributes().get("subscriberId").stringValue().equals(subscriberId)).toList();
    }

    private static String unique(String name) {
        return name + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static String hmac(byte[] key, String content) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        return Base64.getEncoder().encodeToString(mac.doFinal(content.getBytes(StandardCharsets.UTF_8)));
    }
}
