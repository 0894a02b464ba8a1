package routes.feedback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.component.aws2.sqs.Sqs2Constants;
import org.apache.camel.support.DefaultExchange;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.http.HttpEntity;
import org.springframework.http.HttpMethod;
import routes.MailroutesTest;
import routes.api.ApiRequests;
import routes.aws.AwsProperties;
import routes.aws.Tables;
import routes.feedback.FeedbackFixtures.Sent;
import routes.intake.CampaignBucket;
import routes.localaws.AwsCallCounter;
import routes.localaws.AwsFaults;
import routes.localaws.TopicTap;
import routes.model.CampaignStatus;
import routes.model.MessageStatus;
import routes.model.StatusEvent;
import routes.status.CampaignCompletion;
import routes.store.Campaigns;
import routes.store.Ledger;
import routes.store.SuppressionList.Reason;
import routes.store.SuppressionList;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.ses.SesClient;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/** The feedback flow end to end: SES events through SNS → SQS into the ledger, suppressions, campaigns and outputs. */
@MailroutesTest
class FeedbackTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    @Autowired AwsProperties aws;
    @Autowired DynamoDbClient dynamo;
    @Autowired SnsClient sns;
    @Autowired SesClient ses;
    @Autowired SqsClient sqs;
    @Autowired S3Client s3;
    @Autowired Ledger ledger;
    @Autowired Campaigns campaigns;
    @Autowired SuppressionList suppressions;
    @Autowired FeedbackBatches batches;
    @Autowired CampaignCompletion completion;
    @Autowired ObjectMapper json;
    @Autowired CamelContext camel;
    @Autowired MeterRegistry meters;
    @Autowired ProducerTemplate producer;
    @Autowired EventLogRepository eventLog;
    @Autowired TestRestTemplate http;
    @Autowired AwsCallCounter calls;
    @Autowired AwsFaults faults;

    FeedbackFixtures fixtures;

    @BeforeEach
    void fixtures() {
        fixtures = new FeedbackFixtures(aws, dynamo, sns, ses, sqs);
    }

    @ParameterizedTest(name = "{0} → {1}")
    @CsvSource({
            "delivery, DELIVERED", "bounce-permanent, BOUNCED", "bounce-transient, SOFT_BOUNCED",
            "bounce-undetermined, SOFT_BOUNCED", "complaint, COMPLAINED", "reject, REJECTED", "open, OPENED",
            "click, CLICKED", "rendering-failure, FAILED", "delivery-delay, DELIVERY_DELAYED",
            "subscription, UNSUBSCRIBED", "notification-bounce, BOUNCED"})
    void eachEventTypeMovesTheRecipientsRow(String fixture, MessageStatus expected) {
        Sent sent = fixtures.ledgerRow(FeedbackFixtures.campaign("types"), FeedbackFixtures.address("types"));

        fixtures.publish(fixture, sent, Instant.now());

        awaitStatus(sent, expected);
    }

    @Test
    void aSendEventOfARowStillSendingMovesItToSent() {
        Sent sent = fixtures.ledgerRow(FeedbackFixtures.campaign("send"), FeedbackFixtures.address("send"),
                MessageStatus.SENDING, Map.of());

        fixtures.publish("send", sent, Instant.now());

        awaitStatus(sent, MessageStatus.SENT);
    }

    @Test
    void theSameEventDeliveredTwiceIsCountedOnce() {
        String campaignId = FeedbackFixtures.campaign("twice");
        fixtures.campaignRow(campaignId, CampaignStatus.SENDING, Instant.now());
        Sent sent = fixtures.ledgerRow(campaignId, FeedbackFixtures.address("twice"));
        Instant at = Instant.now();

        fixtures.publish("open", sent, at);
        fixtures.publish("open", sent, at);
        fixtures.publish("delivery", sent, at.plusSeconds(1));
        awaitStatus(sent, MessageStatus.OPENED);
        await().atMost(WAIT).until(() -> eventsLogged(sent.messageId()) == 2);

        assertThat(number(row(sent.messageId()), "opens")).isEqualTo(1);
        await().atMost(WAIT).untilAsserted(() -> {
            batches.flushNow();
            Map<String, AttributeValue> campaign = campaignItem(campaignId);
            assertThat(number(campaign, "openedCount")).isEqualTo(1);
            assertThat(number(campaign, "deliveredCount")).isEqualTo(1);
        });
    }

    @Test
    void aDeliveryArrivingAfterTheOpenDoesNotLowerTheStatus() {
        Sent sent = fixtures.ledgerRow(FeedbackFixtures.campaign("order"), FeedbackFixtures.address("order"));
        Instant at = Instant.now();

        fixtures.publish("open", sent, at);
        awaitStatus(sent, MessageStatus.OPENED);
        fixtures.publish("delivery", sent, at.minusSeconds(5));
        await().atMost(WAIT).until(() -> eventsLogged(sent.messageId()) == 2);

        assertThat(ledger.find(sent.messageId()).orElseThrow().status()).isEqualTo(MessageStatus.OPENED);
        assertThat(row(sent.messageId())).containsKey("openedAt").doesNotContainKey("deliveredAt");
    }

    @Test
    void onlyTheEventThatSetTheStatusMayApplyItAgainAsAfterAFailedPublish() {
        Sent sent = fixtures.ledgerRow(FeedbackFixtures.campaign("reapply"), FeedbackFixtures.address("reapply"));

        assertThat(ledger.advance(sent.messageId(), MessageStatus.DELIVERED, Map.of(), "event-1")).isTrue();
        assertThat(ledger.advance(sent.messageId(), MessageStatus.DELIVERED, Map.of(), "event-1")).isTrue();
        assertThat(ledger.advance(sent.messageId(), MessageStatus.DELIVERED, Map.of(), "event-2")).isFalse();
        assertThat(ledger.advance(sent.messageId(), MessageStatus.DELIVERED, Map.of())).isFalse();
    }

    @Test
    void theSimulatorsBounceMarksTheRowBouncedButNeverSuppressesTheSimulator() {
        String recipient = "bounce+" + UUID.randomUUID() + "@simulator.amazonses.com";
        Sent sent = fixtures.sendThroughSes(FeedbackFixtures.campaign("sim-bounce"), recipient);

        awaitStatus(sent, MessageStatus.BOUNCED);
        assertThat(string(row(sent.messageId()), "bounceType")).isEqualTo("Permanent");
        assertThat(suppressions.find(recipient)).isEmpty();
    }

    @Test
    void aHardBounceSuppressesTheAddressForTheNextCampaignWithReasonAndSource() {
        String recipient = FeedbackFixtures.address("hard");
        Sent sent = fixtures.ledgerRow(FeedbackFixtures.campaign("hard"), recipient);

        fixtures.publish("bounce-permanent", sent, Instant.now());

        await().atMost(WAIT).untilAsserted(() -> assertThat(suppressions.find(recipient)).hasValueSatisfying(s -> {
            assertThat(s.reason()).isEqualTo(Reason.HARD_BOUNCE);
            assertThat(s.detail()).contains("General").contains("5.1.1");
            assertThat(s.sourceMessageId()).isEqualTo(sent.messageId());
        }));
        assertThat(suppressions.suppressedAmong(List.of(recipient.toUpperCase()))).hasSize(1);
    }

    @Test
    void aPassingDynamoDbFailureWhileSuppressingIsRetriedInProcessNotLeftForSqs() {
        String recipient = FeedbackFixtures.address("blip");
        Sent sent = fixtures.ledgerRow(FeedbackFixtures.campaign("blip"), recipient);
        faults.failNext("PutItem", aws.table(Tables.SUPPRESSIONS), 2);
        try {
            fixtures.publish("bounce-permanent", sent, Instant.now());

            // WAIT is a third of the ses-events queue's visibility timeout, after which SQS would deliver it again.
            await().atMost(WAIT).untilAsserted(() -> assertThat(suppressions.find(recipient)).isPresent());
            assertThat(faults.injected()).isEqualTo(2);
            assertThat(ledger.find(sent.messageId()).orElseThrow().status()).isEqualTo(MessageStatus.BOUNCED);
        } finally {
            faults.disarm();
        }
    }

    @Test
    void aComplaintSuppresses() {
        String recipient = FeedbackFixtures.address("complaint");
        Sent sent = fixtures.ledgerRow(FeedbackFixtures.campaign("complaint"), recipient);

        fixtures.publish("complaint", sent, Instant.now());

        awaitSuppressed(recipient, Reason.COMPLAINT);
        awaitStatus(sent, MessageStatus.COMPLAINED);
    }

    @Test
    void theSimulatorsComplaintMarksTheRowComplained() {
        String recipient = "complaint+" + UUID.randomUUID() + "@simulator.amazonses.com";
        Sent sent = fixtures.sendThroughSes(FeedbackFixtures.campaign("sim-complaint"), recipient);

        awaitStatus(sent, MessageStatus.COMPLAINED);
        assertThat(suppressions.find(recipient)).isEmpty();
    }

    @Test
    void anUnsubscribeSuppresses() {
        String recipient = FeedbackFixtures.address("unsubscribe");
        Sent sent = fixtures.ledgerRow(FeedbackFixtures.campaign("unsubscribe"), recipient);

        fixtures.publish("subscription", sent, Instant.now());

        awaitSuppressed(recipient, Reason.UNSUBSCRIBE);
    }

    @Test
    void aSubscriptionOptInNeitherTracksNorSuppresses() {
        String recipient = FeedbackFixtures.address("opt-in");
        Sent sent = fixtures.ledgerRow(FeedbackFixtures.campaign("opt-in"), recipient);

        fixtures.publish("subscription-opt-in", sent, Instant.now());
        fixtures.publish("delivery", sent, Instant.now());

        await().atMost(WAIT).until(() -> eventsLogged(sent.messageId()) == 2);
        awaitStatus(sent, MessageStatus.DELIVERED);
        assertThat(suppressions.find(recipient)).isEmpty();
    }

    @Test
    void aTransientBounceRetriesTheMessageOnceAfterFifteenMinutes() {
        Map<String, String> sendInputs = Map.of("template", "welcome", "from", "News <news@example.com>",
                "segment", "all", "variables", "{\"name\":\"Ann\"}");
        Sent sent = fixtures.ledgerRow(FeedbackFixtures.campaign("soft"), FeedbackFixtures.address("soft"),
                MessageStatus.SENT, sendInputs);
        String sendQueue = sqs.getQueueUrl(b -> b.queueName(aws.queues().send())).queueUrl();

        fixtures.publish("bounce-transient", sent, Instant.now());

        awaitStatus(sent, MessageStatus.SOFT_BOUNCED);
        await().atMost(WAIT).until(() -> row(sent.messageId()).containsKey("retriedAt"));
        assertThat(sqs.getQueueAttributes(b -> b.queueUrl(sendQueue).attributeNamesWithStrings("ApproximateNumberOfMessagesDelayed"))
                .attributesAsStrings().get("ApproximateNumberOfMessagesDelayed")).isNotEqualTo("0");
        assertThat(suppressions.find(sent.recipient())).isEmpty();
    }

    @Test
    void aTransientBounceOfATransactionalEmailRetriesItOnTheTransactionalLane() {
        Map<String, String> sendInputs = Map.of("template", "welcome", "from", "Shop <shop@example.com>",
                "variables", "{\"name\":\"Ann\"}");
        Sent sent = fixtures.ledgerRow(null, FeedbackFixtures.address("soft-tx"), MessageStatus.SENT, sendInputs);
        String transactionalQueue = sqs.getQueueUrl(b -> b.queueName(aws.queues().transactional())).queueUrl();

        fixtures.publish("bounce-transient", sent, Instant.now());

        awaitStatus(sent, MessageStatus.SOFT_BOUNCED);
        await().atMost(WAIT).until(() -> row(sent.messageId()).containsKey("retriedAt"));
        assertThat(sqs.getQueueAttributes(b -> b.queueUrl(transactionalQueue).attributeNamesWithStrings("ApproximateNumberOfMessagesDelayed"))
                .attributesAsStrings().get("ApproximateNumberOfMessagesDelayed")).isNotEqualTo("0");
    }

    @Test
    void threeTransientBouncesWithinTheWindowSuppress() {
        String recipient = FeedbackFixtures.address("soft3");
        Instant at = Instant.now();
        for (int i = 0; i < 3; i++) {
            Sent sent = fixtures.ledgerRow(FeedbackFixtures.campaign("soft3-" + i), recipient);
            fixtures.publish("bounce-transient", sent, at.plusSeconds(i));
            awaitStatus(sent, MessageStatus.SOFT_BOUNCED);
            if (i < 2) {
                assertThat(suppressions.find(recipient)).isEmpty();
            }
        }

        awaitSuppressed(recipient, Reason.SOFT_BOUNCE_LIMIT);
    }

    @Test
    void aForgedTopicArnIsRefusedAndParkedWithTheReason() {
        Sent sent = fixtures.ledgerRow(FeedbackFixtures.campaign("forged"), FeedbackFixtures.address("forged"));
        String event = fixtures.render("bounce-permanent", sent, Instant.now());
        String envelope = json.createObjectNode().put("Type", "Notification").put("MessageId", UUID.randomUUID().toString())
                .put("TopicArn", "arn:aws:sns:us-east-1:666666666666:" + aws.topics().sesEvents())
                .put("Message", event).toString();

        sqs.sendMessage(b -> b.queueUrl(queue(aws.queues().sesEvents())).messageBody(envelope));

        Message parked = awaitParked(sent.messageId());
        assertThat(parked.messageAttributes().get("reason").stringValue()).contains("not on the allow-list");
        assertThat(parked.body()).isEqualTo(envelope);
        assertThat(ledger.find(sent.messageId()).orElseThrow().status()).isEqualTo(MessageStatus.SENT);
    }

    @Test
    void anEnvelopeFromOurTopicWithAMadeUpSignatureIsParkedAndChangesNothing() {
        Sent sent = fixtures.ledgerRow(FeedbackFixtures.campaign("made-up"), FeedbackFixtures.address("made-up"));
        ObjectNode envelope = fixtures.signedEnvelope(fixtures.render("bounce-permanent", sent, Instant.now()));
        byte[] madeUp = new byte[256];
        new SecureRandom().nextBytes(madeUp);
        envelope.put("Signature", Base64.getEncoder().encodeToString(madeUp));

        fixtures.enqueue(envelope.toString());

        assertThat(reasonParked(sent)).startsWith("SNS signature does not verify");
        assertNothingChanged(sent);
    }

    @Test
    void aMessageChangedAfterSigningIsRefused() {
        Sent sent = fixtures.ledgerRow(FeedbackFixtures.campaign("tampered"), FeedbackFixtures.address("tampered"));
        ObjectNode envelope = fixtures.signedEnvelope(fixtures.render("delivery", sent, Instant.now()));
        envelope.put("Message", fixtures.render("complaint", sent, Instant.now()));

        fixtures.enqueue(envelope.toString());

        assertThat(reasonParked(sent)).startsWith("SNS signature does not verify");
        assertNothingChanged(sent);
    }

    @Test
    void aSigningCertUrlOnAHostNotAllowedIsNeverFetched() throws Exception {
        Sent sent = fixtures.ledgerRow(FeedbackFixtures.campaign("cert-host"), FeedbackFixtures.address("cert-host"));
        ObjectNode envelope = fixtures.signedEnvelope(fixtures.render("bounce-permanent", sent, Instant.now()));
        // The other host serves the very certificate that signed the envelope: fetching it would let the bounce in.
        byte[] certificate = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(envelope.path("SigningCertURL").asText())).build(), BodyHandlers.ofByteArray()).body();
        try (CountingServer other = new CountingServer(certificate)) {
            envelope.put("SigningCertURL", other.url("/SimpleNotificationService-local.pem"));

            fixtures.enqueue(envelope.toString());

            assertThat(reasonParked(sent)).startsWith("SigningCertURL not allowed");
            assertThat(other.requests()).isZero();
        }
        assertNothingChanged(sent);
    }

    @ParameterizedTest(name = "SignatureVersion {0}")
    @CsvSource({"1", "2"})
    void bothSignatureVersionsVerify(String version) {
        Sent sent = fixtures.ledgerRow(FeedbackFixtures.campaign("version"), FeedbackFixtures.address("version"));
        sns.setTopicAttributes(b -> b.topicArn(fixtures.sesEventsTopic()).attributeName("SignatureVersion").attributeValue(version));
        try {
            ObjectNode envelope = fixtures.signedEnvelope(fixtures.render("bounce-permanent", sent, Instant.now()));
            assertThat(envelope.path("SignatureVersion").asText()).isEqualTo(version);

            fixtures.enqueue(envelope.toString());

            awaitStatus(sent, MessageStatus.BOUNCED);
            awaitSuppressed(sent.recipient(), Reason.HARD_BOUNCE);
        } finally {
            sns.setTopicAttributes(b -> b.topicArn(fixtures.sesEventsTopic()).attributeName("SignatureVersion").attributeValue("1"));
        }
    }

    @Test
    void aRawBounceWithoutAnEnvelopeIsRefusedByDefault() {
        Sent sent = fixtures.ledgerRow(FeedbackFixtures.campaign("raw"), FeedbackFixtures.address("raw"));

        fixtures.enqueue(fixtures.render("bounce-permanent", sent, Instant.now()));

        assertThat(reasonParked(sent)).startsWith("raw delivery (no SNS envelope) is not accepted");
        assertNothingChanged(sent);
    }

    @Test
    void aSubscriptionConfirmationIsParkedUnread() {
        try (CountingServer subscribe = new CountingServer(new byte[0])) {
            String marker = UUID.randomUUID().toString();
            ObjectNode confirmation = fixtures.signedEnvelope("{}").put("Type", "SubscriptionConfirmation")
                    .put("Token", marker).put("SubscribeURL", subscribe.url("/?Action=ConfirmSubscription&Token=" + marker));

            fixtures.enqueue(confirmation.toString());

            Message parked = awaitParked(marker);
            assertThat(parked.messageAttributes().get("reason").stringValue())
                    .isEqualTo("SNS envelope of type SubscriptionConfirmation is not a Notification");
            assertThat(subscribe.requests()).isZero();
        }
    }

    @Test
    void aBounceForAnAddressNeverMailedIsLoggedAndCountedButSuppressesNothing() {
        Sent neverMailed = FeedbackFixtures.neverMailed(FeedbackFixtures.campaign("never"), FeedbackFixtures.address("never"));
        double before = uncorrelatedEvents();

        fixtures.publish("bounce-permanent", neverMailed, Instant.now());

        await().atMost(WAIT).until(() -> eventsLogged("ses:" + neverMailed.sesMessageId()) == 1);
        await().atMost(WAIT).until(() -> uncorrelatedEvents() > before);
        assertThat(suppressions.find(neverMailed.recipient())).isEmpty();
        assertThat(ledger.find(neverMailed.messageId())).isEmpty();
    }

    @Test
    void anEventAfterItsRecipientWasErasedIsNotTrackedAlthoughItsRowWasJustReadForAnEarlierOne() {
        Sent sent = fixtures.ledgerRow(FeedbackFixtures.campaign("erased"), FeedbackFixtures.address("erased"));
        fixtures.publish("delivery", sent, Instant.now());
        awaitStatus(sent, MessageStatus.DELIVERED);

        URI erase = URI.create(http.getRootUri() + "/api/v1/recipients/" + URLEncoder.encode(sent.recipient(), StandardCharsets.UTF_8));
        assertThat(http.exchange(erase, HttpMethod.DELETE, new HttpEntity<>(null, ApiRequests.headers(ApiRequests.KEY)),
                String.class).getStatusCode().value()).isEqualTo(200);
        double before = uncorrelatedEvents();
        fixtures.publish("complaint", sent, Instant.now());

        await().atMost(WAIT).until(() -> uncorrelatedEvents() > before);
        assertThat(ledger.find(sent.messageId()).orElseThrow().status()).isEqualTo(MessageStatus.DELIVERED);
    }

    @Test
    void aPoisonMessageLandsInTheDeadLetterQueueAndTheRouteKeepsConsuming() {
        String poison = "not json " + UUID.randomUUID();
        Sent sent = fixtures.ledgerRow(FeedbackFixtures.campaign("poison"), FeedbackFixtures.address("poison"));

        sqs.sendMessage(b -> b.queueUrl(queue(aws.queues().sesEvents())).messageBody(poison));
        fixtures.publish("delivery", sent, Instant.now());

        Message parked = awaitParked(poison);
        assertThat(parked.body()).isEqualTo(poison);
        assertThat(parked.messageAttributes().get("reason").stringValue()).startsWith("body is not JSON");
        awaitStatus(sent, MessageStatus.DELIVERED);
    }

    @Test
    void anUnknownEventTypeIsLoggedAndCountedWithoutTouchingTheRow() {
        String campaignId = FeedbackFixtures.campaign("unknown");
        fixtures.campaignRow(campaignId, CampaignStatus.SENDING, Instant.now());
        Sent sent = fixtures.ledgerRow(campaignId, FeedbackFixtures.address("unknown"));

        fixtures.publish("unknown-type", sent, Instant.now());
        fixtures.publish("delivery", sent, Instant.now());

        awaitStatus(sent, MessageStatus.DELIVERED);
        await().atMost(WAIT).until(() -> eventsLogged(sent.messageId()) == 2);
        await().atMost(WAIT).untilAsserted(() -> {
            batches.flushNow();
            assertThat(number(campaignItem(campaignId), "unknownEventsCount")).isEqualTo(1);
        });
    }

    @Test
    void aBounceWithoutTheMessageIdTagIsCorrelatedBySesMessageId() {
        Sent sent = fixtures.ledgerRow(FeedbackFixtures.campaign("gsi"), FeedbackFixtures.address("gsi"));
        String event = fixtures.render("bounce-permanent", sent, Instant.now())
                .replaceAll("\"messageId\": \\[\\s*\"" + sent.messageId() + "\"\\s*],", "");
        assertThat(event).doesNotContain(sent.messageId());

        sns.publish(b -> b.topicArn(fixtures.sesEventsTopic()).message(event));

        awaitStatus(sent, MessageStatus.BOUNCED);
    }

    @Test
    void aCampaignWhoseIdHasDotsAndColonsGetsItsFeedbackAlthoughSesTagsCannotHoldThem() {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String id = "news.v2:" + run + ".x";
        String template = "dotted-" + run;
        Map.of("template.json", "{\"requiredVariables\": []}", "subject.vm", "News", "body.txt.vm", "Hello",
                "body.html.vm", "<p>Hello</p>").forEach((file, content) -> s3.putObject(
                b -> b.bucket(aws.bucket()).key("templates/" + template + "/" + file), RequestBody.fromString(content)));
        String bounced = "bounce+" + run + "@simulator.amazonses.com";
        TopicTap statuses = fixtures.tap(aws.topics().status());
        CampaignBucket bucket = new CampaignBucket(s3, aws);
        bucket.drop(run + ".csv", "email\nsuccess+a" + run + "@simulator.amazonses.com\n"
                + "success+b" + run + "@simulator.amazonses.com\n" + bounced + "\n");
        bucket.drop(run + ".manifest.json", "{\"campaignId\":\"" + id + "\",\"template\":\"" + template + "\"}");
        bucket.awaitReport(run + ".manifest.json");

        producer.sendBody("direct:launch-now", null);

        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            batches.flushNow();
            assertThat(campaigns.find(id).orElseThrow().counts())
                    .containsEntry("delivered", 2L).containsEntry("bounced", 1L);
        });
        await().atMost(WAIT).untilAsserted(() -> assertThat(statuses.receive()).anySatisfy(body -> {
            JsonNode event = json.readTree(body);
            assertThat(event.path("recipient").asText()).isEqualTo(bounced);
            assertThat(event.path("status").asText()).isEqualTo("BOUNCED");
            assertThat(event.path("campaignId").asText()).isEqualTo(id);
        }));
    }

    @Test
    void aBounceWhoseConsumerDiedAfterLoggingItIsAppliedWhenSqsDeliversItAgain() throws Exception {
        Sent sent = fixtures.ledgerRow(FeedbackFixtures.campaign("crash"), FeedbackFixtures.address("crash"));
        Instant at = Instant.now();
        String sesEvents = queue(aws.queues().sesEvents());
        camel.getRouteController().stopRoute("feedback");
        try {
            fixtures.publish("bounce-permanent", sent, at);
            // The consumer that dies: it receives the message, logs the event, and is gone before tracking it.
            Message received = await().atMost(WAIT).until(() -> sqs.receiveMessage(b -> b.queueUrl(sesEvents)
                            .maxNumberOfMessages(10).visibilityTimeout(1).waitTimeSeconds(1)).messages().stream()
                    .filter(m -> m.body().contains(sent.messageId())).findFirst().orElse(null), m -> m != null);
            Exchange died = new DefaultExchange(camel);
            died.getMessage().setHeader(Sqs2Constants.MESSAGE_ID, received.messageId());
            assertThat(eventLog.add(died, sent.messageId() + "|" + at + "#Bounce#" + sent.recipient())).isTrue();
        } finally {
            camel.getRouteController().startRoute("feedback");
        }

        awaitStatus(sent, MessageStatus.BOUNCED);
        awaitSuppressed(sent.recipient(), Reason.HARD_BOUNCE);
        assertThat(eventsLogged(sent.messageId())).isEqualTo(1);
    }

    @Test
    void aPollsProcessedEventsSpoolTheirAnalyticsLinesAndLeaveTheQueueInBatchCallsNotACallEach() {
        String campaignId = FeedbackFixtures.campaign("batched");
        List<Sent> sents = IntStream.range(0, 5)
                .mapToObj(i -> fixtures.ledgerRow(campaignId, FeedbackFixtures.address("batched" + i))).toList();
        String sesEvents = aws.queues().sesEvents();
        String analytics = aws.queues().analytics();
        long deletesBefore = calls.sqsCalls("DeleteMessage", sesEvents);
        long batchDeletesBefore = calls.sqsCalls("DeleteMessageBatch", sesEvents);
        long sendsBefore = calls.sqsCalls("SendMessage", analytics);
        long batchSendsBefore = calls.sqsCalls("SendMessageBatch", analytics);
        Instant at = Instant.now();

        sents.forEach(sent -> fixtures.publish("delivery", sent, at));

        sents.forEach(sent -> awaitStatus(sent, MessageStatus.DELIVERED));
        String url = queue(sesEvents);
        await().atMost(WAIT).until(() -> sqs.getQueueAttributes(b -> b.queueUrl(url).attributeNames(
                        QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE))
                .attributes().values().stream().allMatch("0"::equals));
        await().atMost(WAIT).ignoreException(NoSuchKeyException.class).untilAsserted(() -> {
            batches.flushNow();
            assertThat(analyticsLines(at, campaignId)).hasSize(5);
        });
        assertThat(calls.sqsCalls("DeleteMessage", sesEvents)).isEqualTo(deletesBefore);
        assertThat(calls.sqsCalls("DeleteMessageBatch", sesEvents) - batchDeletesBefore).isBetween(1L, 5L);
        assertThat(calls.sqsCalls("SendMessage", analytics)).isEqualTo(sendsBefore);
        assertThat(calls.sqsCalls("SendMessageBatch", analytics) - batchSendsBefore).isBetween(1L, 5L);
    }

    @Test
    void eventsCompletedInReceivesOfTheirOwnLeaveTheQueueTogether() throws Exception {
        String campaignId = FeedbackFixtures.campaign("together");
        List<Sent> sents = IntStream.range(0, 5)
                .mapToObj(i -> fixtures.ledgerRow(campaignId, FeedbackFixtures.address("together" + i))).toList();
        String sesEvents = aws.queues().sesEvents();
        long batchDeletesBefore = calls.sqsCalls("DeleteMessageBatch", sesEvents);
        long deletesBefore = calls.sqsCalls("DeleteMessage", sesEvents);

        camel.getRouteController().stopRoute("feedback-acknowledge");
        try {
            for (Sent sent : sents) {
                // One at a time: each event is alone in the receive that brings it.
                fixtures.publish("delivery", sent, Instant.now());
                awaitStatus(sent, MessageStatus.DELIVERED);
            }
        } finally {
            camel.getRouteController().startRoute("feedback-acknowledge");
        }
        String url = queue(sesEvents);
        await().atMost(WAIT).until(() -> sqs.getQueueAttributes(b -> b.queueUrl(url).attributeNames(
                        QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE))
                .attributes().values().stream().allMatch("0"::equals));

        assertThat(calls.sqsCalls("DeleteMessageBatch", sesEvents) - batchDeletesBefore)
                .as("DeleteMessageBatch calls for five events that completed in five receives").isLessThanOrEqualTo(2);
        assertThat(calls.sqsCalls("DeleteMessage", sesEvents)).isEqualTo(deletesBefore);
    }

    @Test
    void theReputationGuardPausesACampaignWhoseBounceRateCrossesFivePercent() {
        String campaignId = FeedbackFixtures.campaign("reputation");
        fixtures.campaignRow(campaignId, CampaignStatus.SENDING, Instant.now());
        TopicTap alerts = fixtures.tap(aws.topics().alerts());

        for (int i = 0; i < 19; i++) {
            fixtures.sendThroughSes(campaignId, "success+" + UUID.randomUUID() + "@simulator.amazonses.com");
        }
        fixtures.sendThroughSes(campaignId, "bounce+" + UUID.randomUUID() + "@simulator.amazonses.com");

        await().atMost(WAIT).until(() -> campaigns.status(campaignId).orElseThrow() == CampaignStatus.PAUSED);
        await().atMost(WAIT).untilAsserted(() -> assertThat(alerts.receive()).anySatisfy(alert -> {
            JsonNode figures = json.readTree(alert);
            assertThat(figures.path("campaignId").asText()).isEqualTo(campaignId);
            assertThat(figures.path("sends").asInt()).isEqualTo(20);
            assertThat(figures.path("bounces").asInt()).isEqualTo(1);
            assertThat(figures.path("bounceRate").asDouble()).isEqualTo(0.05);
        }));
    }

    @Test
    void theGuardJudgesTheCountsOfEveryReplicaAndIsReArmedWhenTheCampaignIsResumed() {
        String campaignId = FeedbackFixtures.campaign("replicas");
        fixtures.campaignRow(campaignId, CampaignStatus.SENDING, Instant.now().plus(Duration.ofDays(1)));
        TopicTap alerts = fixtures.tap(aws.topics().alerts());
        // Other replicas sent 40 mails and saw one hard bounce; this replica consumes the second one: 2 in 40 = 5 %.
        campaigns.addCounters(campaignId, Map.of("sent", 40L, "bounced", 1L));
        fixtures.publish("bounce-permanent", fixtures.ledgerRow(campaignId, FeedbackFixtures.address("replicas")), Instant.now());

        await().atMost(WAIT).until(() -> campaigns.status(campaignId).orElseThrow() == CampaignStatus.PAUSED);
        awaitCampaignAlert(alerts, campaignId, 40, 2);

        assertThat(http.exchange("/api/v1/campaigns/" + campaignId + "/resume", HttpMethod.POST,
                ApiRequests.withKey(null), String.class).getStatusCode().value()).isEqualTo(200);
        batches.flushNow();
        assertThat(campaigns.status(campaignId)).as("judged on the mail after the resume only").contains(CampaignStatus.SCHEDULED);

        campaigns.addCounters(campaignId, Map.of("sent", 20L));
        fixtures.publish("bounce-permanent", fixtures.ledgerRow(campaignId, FeedbackFixtures.address("again")), Instant.now());

        await().atMost(WAIT).until(() -> campaigns.status(campaignId).orElseThrow() == CampaignStatus.PAUSED);
        awaitCampaignAlert(alerts, campaignId, 20, 1);
    }

    @Test
    void theAccountGuardAlertsAtSesReviewThresholdsOverAllMailIncludingTransactional() {
        // A clean day for the account's figures, which every test's events add to.
        dynamo.deleteItem(b -> b.tableName(aws.table(Tables.EVENTS)).key(Map.of(
                "messageId", AttributeValue.fromS("account#reputation"),
                "eventKey", AttributeValue.fromS(LocalDate.now(ZoneOffset.UTC).toString()))));
        batches.flushNow();
        TopicTap alerts = fixtures.tap(aws.topics().alerts());
        Instant at = Instant.now();
        for (int i = 0; i < 40; i++) {
            String campaignId = i % 2 == 0 ? FeedbackFixtures.campaign("account") : null;
            Sent sent = fixtures.ledgerRow(campaignId, FeedbackFixtures.address("account"));
            fixtures.publish("send", sent, at);
            if (i < 2) {
                fixtures.publish("bounce-permanent", sent, at.plusSeconds(1));
            }
        }

        await().atMost(WAIT).untilAsserted(() -> {
            batches.flushNow();
            assertThat(alerts.receive()).anySatisfy(alert -> {
                JsonNode figures = json.readTree(alert);
                assertThat(figures.path("scope").asText()).isEqualTo("account");
                assertThat(figures.path("sends").asLong()).isGreaterThanOrEqualTo(40);
                assertThat(figures.path("bounceRate").asDouble()).isGreaterThanOrEqualTo(0.05);
            });
        });
    }

    @Test
    void everyStatusChangeIsPublishedOnTheStatusTopic() {
        TopicTap statuses = fixtures.tap(aws.topics().status());
        Sent sent = fixtures.ledgerRow(FeedbackFixtures.campaign("status"), FeedbackFixtures.address("status"));

        fixtures.publish("delivery", sent, Instant.now());

        await().atMost(WAIT).untilAsserted(() -> assertThat(statuses.receive()).anySatisfy(body -> {
            JsonNode event = json.readTree(body);
            assertThat(event.path("messageId").asText()).isEqualTo(sent.messageId());
            assertThat(event.path("type").asText()).isEqualTo("message.delivered");
            assertThat(event.path("status").asText()).isEqualTo("DELIVERED");
            assertThat(event.path("metadata").path("segment").asText()).isEqualTo("all");
        }));
    }

    @Test
    void everyStatusChangeIsAJsonMessageOnTheNotificationsQueue() throws Exception {
        // The webhook flow consumes this queue; with its consumer stopped the message stays for the test to read.
        camel.getRouteController().stopRoute("webhooks");
        try {
            String notifications = sqs.getQueueUrl(b -> b.queueName(aws.queues().notifications())).queueUrl();
            Sent sent = fixtures.ledgerRow(FeedbackFixtures.campaign("notify"), FeedbackFixtures.address("notify"));

            fixtures.publish("bounce-permanent", sent, Instant.now());

            await().atMost(WAIT).untilAsserted(() -> assertThat(fixtures.receive(notifications)).anySatisfy(body -> {
                JsonNode event = json.readTree(body);
                assertThat(event.path("messageId").asText()).isEqualTo(sent.messageId());
                assertThat(event.path("campaignId").asText()).isEqualTo(sent.campaignId());
                assertThat(event.path("type").asText()).isEqualTo("message.bounced");
                assertThat(event.path("status").asText()).isEqualTo("BOUNCED");
                assertThat(event.path("id").asText()).isNotBlank();
            }));
        } finally {
            camel.getRouteController().startRoute("webhooks");
        }
    }

    @Test
    void analyticsFilesAppearInS3WithOneLinePerEvent() {
        String campaignId = FeedbackFixtures.campaign("analytics");
        Instant at = Instant.now();
        List<Sent> sents = List.of(fixtures.ledgerRow(campaignId, FeedbackFixtures.address("a")),
                fixtures.ledgerRow(campaignId, FeedbackFixtures.address("b")));
        for (Sent sent : sents) {
            fixtures.publish("delivery", sent, at);
            fixtures.publish("open", sent, at.plusSeconds(1));
        }
        sents.forEach(sent -> await().atMost(WAIT).until(() -> eventsLogged(sent.messageId()) == 2));

        // The embedded S3 may list a file whose upload (another flush) is still being written.
        await().atMost(WAIT).ignoreException(NoSuchKeyException.class).untilAsserted(() -> {
            batches.flushNow();
            assertThat(analyticsLines(at, campaignId)).hasSize(4);
        });
    }

    @Test
    void anAnalyticsLineWaitsOnItsQueueUntilAFileHoldsItSoAWriterDyingMidFileLosesNothing() throws Exception {
        String campaignId = FeedbackFixtures.campaign("spool");
        Sent sent = fixtures.ledgerRow(campaignId, FeedbackFixtures.address("spool"));
        Instant at = Instant.now();
        String spool = queue(aws.queues().analytics());
        camel.getRouteController().stopRoute("feedback-analytics-files");
        try {
            fixtures.publish("delivery", sent, at);

            // A writer takes the line for its file and dies before the file is in S3.
            await().atMost(WAIT).until(() -> sqs.receiveMessage(b -> b.queueUrl(spool).maxNumberOfMessages(10)
                    .visibilityTimeout(1)).messages().stream().anyMatch(m -> m.body().contains(sent.messageId())));
        } finally {
            camel.getRouteController().startRoute("feedback-analytics-files");
        }

        await().atMost(WAIT).ignoreException(NoSuchKeyException.class).untilAsserted(() -> {
            batches.flushNow();
            assertThat(analyticsLines(at, campaignId)).singleElement().asString().contains(sent.messageId());
        });
    }

    @Test
    void aSentCampaignCompletesWhenEveryMessageIsSettledOrSeventyTwoHoursLater() {
        String settled = FeedbackFixtures.campaign("settled");
        fixtures.campaignRow(settled, CampaignStatus.SENT, Instant.now());
        fixtures.ledgerRow(settled, FeedbackFixtures.address("settled"), MessageStatus.DELIVERED, Map.of());
        String waiting = FeedbackFixtures.campaign("waiting");
        fixtures.campaignRow(waiting, CampaignStatus.SENT, Instant.now());
        fixtures.ledgerRow(waiting, FeedbackFixtures.address("waiting"));
        String expired = FeedbackFixtures.campaign("expired");
        fixtures.campaignRow(expired, CampaignStatus.SENT, Instant.now().minus(Duration.ofHours(73)));
        fixtures.ledgerRow(expired, FeedbackFixtures.address("expired"));

        List<StatusEvent> events = completion.scan();

        assertThat(campaigns.status(settled)).contains(CampaignStatus.COMPLETED);
        assertThat(events).filteredOn(event -> event.campaignId().equals(settled)).singleElement().satisfies(event -> {
            assertThat(event.type()).isEqualTo("campaign.completed");
            assertThat(event.detail()).containsEntry("reason", "settled");
            assertThat(event.detail().get("summary")).asInstanceOf(InstanceOfAssertFactories.MAP).containsKeys("totalMessages", "delivered", "bounced",
                    "complained", "opened", "clicked");
        });
        assertThat(campaigns.status(waiting)).contains(CampaignStatus.SENT);
        assertThat(campaigns.status(expired)).contains(CampaignStatus.COMPLETED);
    }

    private String reasonParked(Sent sent) {
        return awaitParked(sent.messageId()).messageAttributes().get("reason").stringValue();
    }

    /** Once its message is parked: the row as the send left it, no suppression, nothing in the event log. */
    private void assertNothingChanged(Sent sent) {
        assertThat(ledger.find(sent.messageId()).orElseThrow().status()).isEqualTo(MessageStatus.SENT);
        assertThat(suppressions.find(sent.recipient())).isEmpty();
        assertThat(eventsLogged(sent.messageId())).isZero();
    }

    private double uncorrelatedEvents() {
        return meters.find("mailroutes.feedback.uncorrelated.events").counters().stream().mapToDouble(Counter::count).sum();
    }

    /** A loopback HTTP server that answers every request with {@code body} and counts the requests. */
    private static final class CountingServer implements AutoCloseable {

        private final HttpServer server;
        private final AtomicInteger requests = new AtomicInteger();

        CountingServer(byte[] body) {
            try {
                server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            server.createContext("/", http -> {
                requests.incrementAndGet();
                try (http) {
                    http.sendResponseHeaders(200, body.length == 0 ? -1 : body.length);
                    http.getResponseBody().write(body);
                }
            });
            server.start();
        }

        String url(String pathAndQuery) {
            return "http://127.0.0.1:" + server.getAddress().getPort() + pathAndQuery;
        }

        int requests() {
            return requests.get();
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }

    private void awaitCampaignAlert(TopicTap alerts, String campaignId, long sends, long bounces) {
        await().atMost(WAIT).untilAsserted(() -> assertThat(alerts.receive()).anySatisfy(alert -> {
            JsonNode figures = json.readTree(alert);
            assertThat(figures.path("campaignId").asText()).isEqualTo(campaignId);
            assertThat(figures.path("sends").asLong()).isEqualTo(sends);
            assertThat(figures.path("bounces").asLong()).isEqualTo(bounces);
        }));
    }

    private void awaitSuppressed(String recipient, Reason reason) {
        await().atMost(WAIT).untilAsserted(() -> assertThat(suppressions.find(recipient))
                .hasValueSatisfying(s -> assertThat(s.reason()).isEqualTo(reason)));
    }

    private void awaitStatus(Sent sent, MessageStatus expected) {
        await().atMost(WAIT).untilAsserted(() ->
                assertThat(ledger.find(sent.messageId()).orElseThrow().status()).isEqualTo(expected));
    }

    private Message awaitParked(String marker) {
        String dlq = queue(AwsProperties.deadLetterQueue(aws.queues().sesEvents()));
        return await().atMost(WAIT).until(() -> sqs.receiveMessage(b -> b.queueUrl(dlq).maxNumberOfMessages(10)
                        .visibilityTimeout(0).messageAttributeNames("All").waitTimeSeconds(1)).messages().stream()
                .filter(m -> m.body().contains(marker)).findFirst().orElse(null), m -> m != null);
    }

    private String queue(String name) {
        return sqs.getQueueUrl(b -> b.queueName(name)).queueUrl();
    }

    private long eventsLogged(String messageId) {
        return dynamo.query(b -> b.tableName(aws.table(Tables.EVENTS)).consistentRead(true)
                .keyConditionExpression("messageId = :m")
                .expressionAttributeValues(Map.of(":m", AttributeValue.fromS(messageId)))).count();
    }

    private Map<String, AttributeValue> row(String messageId) {
        return dynamo.getItem(b -> b.tableName(aws.table(Tables.MESSAGES)).consistentRead(true)
                .key(Map.of("messageId", AttributeValue.fromS(messageId)))).item();
    }

    private Map<String, AttributeValue> campaignItem(String campaignId) {
        return dynamo.getItem(b -> b.tableName(aws.table(Tables.CAMPAIGNS)).consistentRead(true)
                .key(Map.of("campaignId", AttributeValue.fromS(campaignId)))).item();
    }

    private List<String> analyticsLines(Instant at, String campaignId) {
        return AnalyticsFiles.linesOf(s3, aws.bucket(), LocalDate.ofInstant(at, ZoneOffset.UTC)).stream()
                .filter(line -> line.contains(campaignId)).toList();
    }

    private static long number(Map<String, AttributeValue> item, String name) {
        AttributeValue value = item.get(name);
        return value == null ? 0 : Long.parseLong(value.n());
    }

    private static String string(Map<String, AttributeValue> item, String name) {
        AttributeValue value = item.get(name);
        return value == null ? null : value.s();
    }
}
