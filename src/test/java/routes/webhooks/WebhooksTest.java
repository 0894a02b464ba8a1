package routes.webhooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.apache.camel.CamelContext;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.http.HttpMethod;
import org.springframework.http.ResponseEntity;
import routes.MailroutesTest;
import routes.api.ApiRequests;
import routes.aws.AwsProperties;
import routes.intake.CampaignBucket;
import routes.localaws.AwsCallCounter;
import routes.localaws.LocalAwsEnvironment;
import routes.model.StatusEvent;
import routes.ops.Scrape;
import routes.store.Campaigns;
import routes.webhooks.WebhookProperties.Subscriber;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

/** Status events from the notifications queue to subscribers on loopback, as the subscribers see them. */
@MailroutesTest
class WebhooksTest {

    static final WebhookPeer PEER = new WebhookPeer();
    static final String SECRET = "whsec_" + Base64.getEncoder().encodeToString("subscriber-secret-of-24-bytes".getBytes(StandardCharsets.UTF_8));

    @Autowired WebhookSubscribers subscribers;
    @Autowired TestRestTemplate http;
    @LocalManagementPort int managementPort;
    @Autowired SqsClient sqs;
    @Autowired S3Client s3;
    @Autowired Campaigns campaigns;
    @Autowired AwsProperties aws;
    @Autowired ObjectMapper json;
    @Autowired CamelContext camel;
    @Autowired AwsCallCounter calls;

    @AfterAll
    static void stopPeer() {
        PEER.close();
    }

    @Test
    void everyActiveSecretSignsAndTheSignatureVerifiesIndependently() throws Exception {
        String campaign = unique("signed");
        String oldSecret = "whsec_" + Base64.getEncoder().encodeToString("old-secret-bytes-at-least-24".getBytes(StandardCharsets.UTF_8));
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
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            Scrape scrape = Scrape.of(http, managementPort);
            assertThat(scrape.value("mailroutes_webhook_deliveries_total", Map.of("subscriber", subscriberId, "outcome", "dead_lettered"))).isEqualTo(1);
            assertThat(scrape.value("mailroutes_webhook_deliveries_total", Map.of("subscriber", subscriberId, "outcome", "delivered"))).isEqualTo(1);
        });
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
        // wait-duration-in-open-state is 30 s in tests: the breaker is still open.
        Scrape scrape = Scrape.of(http, managementPort);
        assertThat(scrape.value("mailroutes_webhook_circuit_state", Map.of("subscriber", subscriberId, "state", "open"))).isEqualTo(1);
        assertThat(scrape.value("mailroutes_webhook_circuit_state", Map.of("subscriber", subscriberId, "state", "closed"))).isZero();
    }

    @Test
    void aDroppedCampaignsCallbackUrlReceivesItsEventsSignedWithTheCallbackSecret() throws Exception {
        String campaign = unique("callback");
        String path = "/" + campaign;

        dropCampaign(campaign, PEER.script(path, 200));

        await().atMost(Duration.ofSeconds(60)).until(() -> !PEER.received(path).isEmpty());
        WebhookPeer.Received delivery = PEER.received(path).get(0);
        assertThat(delivery.signedWith(LocalAwsEnvironment.LOCAL_CALLBACK_SECRET)).isTrue();
        assertThat(json.readTree(delivery.body()).path("campaignId").asText()).isEqualTo(campaign);
        assertThat(json.readTree(delivery.body()).path("type").asText()).startsWith("message.");
    }

    @Test
    void aCampaignSummaryReachesTheCampaignsCallbackUrl() throws Exception {
        String campaign = unique("summary");
        String path = "/" + campaign;
        dropCampaign(campaign, PEER.script(path, 200));
        await().atMost(Duration.ofSeconds(30)).until(() -> campaigns.status(campaign).isPresent());
        StatusEvent summary = new StatusEvent(UUID.randomUUID().toString(), "campaign.completed", Instant.now().toString(),
                null, campaign, null, "COMPLETED", Map.of("delivered", 950, "bounced", 30), Map.of());

        publish(summary);

        await().atMost(Duration.ofSeconds(60)).until(() -> PEER.received(path).stream()
                .anyMatch(r -> r.body().contains("campaign.completed")));
        WebhookPeer.Received delivery = PEER.received(path).stream().filter(r -> r.body().contains("campaign.completed"))
                .findFirst().orElseThrow();
        assertThat(json.readTree(delivery.body()).at("/detail/delivered").asInt()).isEqualTo(950);
        assertThat(delivery.signedWith(LocalAwsEnvironment.LOCAL_CALLBACK_SECRET)).isTrue();
    }

    @Test
    void aNonAsciiPayloadIsSentAsUtf8AndVerifiesByTheStandardWebhooksRule() throws Exception {
        String campaign = unique("utf8");
        String path = "/" + campaign;
        subscribe(campaign, PEER.script(path, 200), List.of(SECRET));
        StatusEvent event = event(campaign, "message.delivered");
        String payload = publish(new StatusEvent(event.id(), event.type(), event.occurredAt(), event.messageId(), campaign,
                "zoë@bücher.example", event.status(), Map.of("subject", "Grüße – ✓ 日本"), Map.of("name", "Zoë")));

        await().atMost(Duration.ofSeconds(20)).until(() -> PEER.received(path).size() == 1);
        WebhookPeer.Received delivery = PEER.received(path).get(0);
        assertThat(delivery.bytes()).isEqualTo(payload.getBytes(StandardCharsets.UTF_8));
        assertThat(delivery.header("content-type")).isEqualToIgnoringCase("application/json; charset=utf-8");
        assertThat(delivery.signedWith(SECRET)).isTrue();
    }

    /**
     * Each query names an option of Camel's http component. It must reach the subscriber as a plain
     * query parameter and change nothing: still a POST to the subscriber itself (no proxy, no other Host,
     * no credentials), non-2xx still a failure that is retried, a redirect not followed.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("httpOptions")
    void aTargetUrlCannotSetAnOptionOfTheHttpClient(String query, List<Integer> answers) throws Exception {
        String path = "/" + unique("option");
        String url = PEER.script(path, answers.toArray(Integer[]::new)) + "?" + query;
        String host = URI.create(url).getAuthority();
        subscribe(path.substring(1), url, List.of(SECRET));

        String payload = publish(event(path.substring(1), "message.delivered"));

        await().atMost(Duration.ofSeconds(20)).until(() -> PEER.received(path).size() == answers.size());
        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(5)).until(() -> PEER.received(path).size() == answers.size());
        assertThat(PEER.received(path)).extracting(WebhookPeer.Received::answered).isEqualTo(answers);
        assertThat(PEER.received(path)).allSatisfy(request -> {
            assertThat(request.method()).isEqualTo("POST");
            assertThat(request.query()).isEqualTo(query);
            assertThat(request.header("host")).isEqualTo(host);
            assertThat(request.header("authorization")).isNull();
            assertThat(request.body()).isEqualTo(payload);
            assertThat(request.signedWith(SECRET)).isTrue();
        });
        assertThat(PEER.received(path + "-moved")).isEmpty();
    }

    static Stream<Arguments> httpOptions() {
        return Stream.of(
                Arguments.of("httpMethod=GET", List.of(200)),
                Arguments.of("okStatusCodeRange=200-599", List.of(500, 200)),
                Arguments.of("throwExceptionOnFailure=false", List.of(500, 200)),
                Arguments.of("followRedirects=true", List.of(302, 200)),
                Arguments.of("customHostHeader=evil.example", List.of(200)),
                Arguments.of("proxyHost=127.0.0.1&proxyPort=9", List.of(200)),
                Arguments.of("authUsername=u&authPassword=p&authMethod=Basic&authenticationPreemptive=true", List.of(200)),
                Arguments.of("bridgeEndpoint=true&httpUri=http://127.0.0.1:9/elsewhere", List.of(200)),
                Arguments.of("httpClient.redirectsEnabled=true&followRedirects=true", List.of(302, 200)));
    }

    @Test
    void aTargetResolvingToTheWildcardAddressIsRefusedWhereTheConnectionResolvesIt() throws Exception {
        String campaign = unique("wildcard");
        String path = "/" + campaign;
        String subscriberId = subscribe(campaign, PEER.script(path, 200).replace("127.0.0.1", "0.0.0.0"), List.of(SECRET));

        publish(event(campaign, "message.delivered"));

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(deadLetters(subscriberId))
                .singleElement().satisfies(m -> assertThat(m.messageAttributes().get("lastError").stringValue())
                        .contains("ForbiddenWebhookTarget").contains("0.0.0.0")));
        assertThat(PEER.received(path)).isEmpty();
    }

    @Test
    void aResponseThatDripsSlowerThanTheDeadlineIsCut() throws Exception {
        String campaign = unique("drip");
        String subscriberId = subscribe(campaign, PEER.drip("/" + campaign), List.of(SECRET));

        publish(event(campaign, "message.delivered"));

        // Each attempt is cut at the 2 s test deadline and counts as a failure, until the breaker opens
        // (4 calls in tests); uncut, the first attempt would hold its thread for as long as the peer drips.
        await().atMost(Duration.ofSeconds(40)).untilAsserted(() -> assertThat(deadLetters(subscriberId)).hasSize(1));
        assertThat(PEER.received("/" + campaign)).hasSize(4);
    }

    @Test
    void anEndlessErrorBodyIsReadOnlyUpToTheCap() throws Exception {
        String campaign = unique("flood");
        String path = "/" + campaign;
        String subscriberId = subscribe(campaign, PEER.flood(path, 410), List.of(SECRET));

        publish(event(campaign, "message.bounced"));

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(deadLetters(subscriberId))
                .singleElement().satisfies(m -> assertThat(m.messageAttributes().get("lastStatus").stringValue()).isEqualTo("410")));
        assertThat(PEER.received(path)).hasSize(1);
    }

    @Test
    void statusEventsFannedOutInReceivesOfTheirOwnLeaveTheQueueTogetherNotADeleteEach() throws Exception {
        String campaign = unique("together");
        subscribe(campaign, PEER.script("/" + campaign, 200), List.of("s"));
        String notifications = aws.queues().notifications();
        long deletesBefore = calls.sqsCalls("DeleteMessage", notifications);
        long batchDeletesBefore = calls.sqsCalls("DeleteMessageBatch", notifications);

        camel.getRouteController().stopRoute("webhooks-acknowledge");
        try {
            for (int i = 1; i <= 3; i++) {
                // One at a time: each status event is alone in the receive that brings it.
                publish(event(campaign, "message.delivered"));
                int delivered = i;
                await().atMost(Duration.ofSeconds(20)).until(() -> PEER.received("/" + campaign).size() == delivered);
            }
        } finally {
            camel.getRouteController().startRoute("webhooks-acknowledge");
        }

        await().atMost(Duration.ofSeconds(20)).until(() -> calls.sqsCalls("DeleteMessageBatch", notifications) > batchDeletesBefore);
        assertThat(calls.sqsCalls("DeleteMessage", notifications)).isEqualTo(deletesBefore);
    }

    private void dropCampaign(String campaign, String callbackUrl) {
        new CampaignBucket(s3, aws).drop(campaign + ".json", CampaignBucket.fixtureText("fixtures/webhooks/campaign-callback.json")
                .replace("CAMPAIGN_ID", campaign).replace("CALLBACK_URL", callbackUrl));
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
