package routes.localaws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import routes.localaws.LocalAwsTesting.Queue;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sns.model.BatchEntryIdsNotDistinctException;
import software.amazon.awssdk.services.sns.model.InvalidParameterException;
import software.amazon.awssdk.services.sns.model.MessageAttributeValue;
import software.amazon.awssdk.services.sns.model.NotFoundException;
import software.amazon.awssdk.services.sns.model.PublishBatchResponse;
import software.amazon.awssdk.services.sns.model.PublishResponse;
import software.amazon.awssdk.services.sns.model.Subscription;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

/** LocalSns through the real SnsClient, delivering into ElasticMQ. */
class LocalSnsTest {

    private static SqsClient sqs;
    private static LocalSns localSns;
    private static SnsClient sns;

    @BeforeAll
    static void start() {
        sqs = LocalAwsTesting.sqs(LocalAwsTesting.sqsEndpoint());
        localSns = new LocalSns(sqs, LocalAwsTesting.REGION, LocalAwsTesting.ACCOUNT);
        localSns.start();
        sns = LocalAwsTesting.sns(localSns.endpoint());
    }

    @AfterAll
    static void stop() {
        sns.close();
        localSns.close();
        sqs.close();
    }

    @Test
    void publishArrivesInSubscribedQueueAsEnvelope() throws Exception {
        String topicArn = createTopic("envelope");
        Queue queue = LocalAwsTesting.createQueue(sqs, "envelope");
        sns.subscribe(b -> b.topicArn(topicArn).protocol("sqs").endpoint(queue.arn()));

        PublishResponse published = sns.publish(b -> b.topicArn(topicArn).subject("Greeting").message("hello")
                .messageAttributes(Map.of("kind", stringAttribute("welcome"))));

        Message received = LocalAwsTesting.receive(sqs, queue, 1).get(0);
        JsonNode envelope = AwsJson.read(received.body());
        assertThat(envelope.get("Type").asText()).isEqualTo("Notification");
        assertThat(envelope.get("MessageId").asText()).isEqualTo(published.messageId());
        assertThat(envelope.get("TopicArn").asText()).isEqualTo(topicArn);
        assertThat(envelope.get("Subject").asText()).isEqualTo("Greeting");
        assertThat(envelope.get("Message").asText()).isEqualTo("hello");
        assertThat(envelope.get("Timestamp").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
        assertThat(envelope.get("SignatureVersion").asText()).isEqualTo("1");
        assertThat(envelope.get("UnsubscribeURL").asText()).startsWith(localSns.endpoint().toString());
        assertThat(envelope.at("/MessageAttributes/kind/Type").asText()).isEqualTo("String");
        assertThat(envelope.at("/MessageAttributes/kind/Value").asText()).isEqualTo("welcome");

        HttpResponse<String> unsubscribed = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(envelope.get("UnsubscribeURL").asText())).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(unsubscribed.statusCode()).isEqualTo(200);
        assertThat(sns.listSubscriptionsByTopic(b -> b.topicArn(topicArn)).subscriptions()).isEmpty();
    }

    @Test
    void envelopesAreSignedWithTheCertificateServedAtSigningCertUrlInTheTopicsSignatureVersion() throws Exception {
        String topicArn = createTopic("signed");
        Queue queue = LocalAwsTesting.createQueue(sqs, "signed");
        sns.subscribe(b -> b.topicArn(topicArn).protocol("sqs").endpoint(queue.arn()));

        sns.publish(b -> b.topicArn(topicArn).subject("Greeting").message("hello"));
        sns.setTopicAttributes(b -> b.topicArn(topicArn).attributeName("SignatureVersion").attributeValue("2"));
        sns.publish(b -> b.topicArn(topicArn).message("again"));

        Map<String, JsonNode> byMessage = new HashMap<>();
        for (Message received : LocalAwsTesting.receive(sqs, queue, 2)) {
            JsonNode envelope = AwsJson.read(received.body());
            byMessage.put(envelope.get("Message").asText(), envelope);
        }
        JsonNode first = byMessage.get("hello");
        JsonNode second = byMessage.get("again");
        assertThat(first.get("SigningCertURL").asText()).isEqualTo(LocalSns.certificateUrl(localSns.endpoint()).toString());
        X509Certificate certificate = certificateAt(first.get("SigningCertURL").asText());
        assertThat(first.get("SignatureVersion").asText()).isEqualTo("1");
        assertThat(verifies("SHA1withRSA", certificate, first, "Message\nhello\nMessageId\n" + first.get("MessageId").asText()
                + "\nSubject\nGreeting\nTimestamp\n" + first.get("Timestamp").asText() + "\nTopicArn\n" + topicArn
                + "\nType\nNotification\n")).isTrue();
        assertThat(second.get("SignatureVersion").asText()).isEqualTo("2");
        assertThat(verifies("SHA256withRSA", certificate, second, "Message\nagain\nMessageId\n" + second.get("MessageId").asText()
                + "\nTimestamp\n" + second.get("Timestamp").asText() + "\nTopicArn\n" + topicArn
                + "\nType\nNotification\n")).isTrue();
        assertThatThrownBy(() -> sns.setTopicAttributes(b -> b.topicArn(topicArn).attributeName("SignatureVersion")
                .attributeValue("3"))).isInstanceOf(InvalidParameterException.class);
    }

    @Test
    void envelopeWithoutSubjectOrAttributesOmitsThem() throws Exception {
        String topicArn = createTopic("plain");
        Queue queue = LocalAwsTesting.createQueue(sqs, "plain");
        sns.subscribe(b -> b.topicArn(topicArn).protocol("sqs").endpoint(queue.arn()));

        localSns.publish(topicArn, "{\"k\":1}", Map.of());

        JsonNode envelope = AwsJson.read(LocalAwsTesting.receive(sqs, queue, 1).get(0).body());
        assertThat(envelope.has("Subject")).isFalse();
        assertThat(envelope.has("MessageAttributes")).isFalse();
        assertThat(envelope.get("Message").asText()).isEqualTo("{\"k\":1}");
    }

    @Test
    void rawMessageDeliveryPassesBodyAndAttributes() {
        String topicArn = createTopic("raw");
        Queue queue = LocalAwsTesting.createQueue(sqs, "raw");
        sns.subscribe(b -> b.topicArn(topicArn).protocol("sqs").endpoint(queue.arn())
                .attributes(Map.of("RawMessageDelivery", "true")));

        sns.publish(b -> b.topicArn(topicArn).message("{\"id\":42}").messageAttributes(Map.of(
                "kind", stringAttribute("status"),
                "attempt", MessageAttributeValue.builder().dataType("Number").stringValue("3").build())));

        Message received = LocalAwsTesting.receive(sqs, queue, 1).get(0);
        assertThat(received.body()).isEqualTo("{\"id\":42}");
        assertThat(received.messageAttributes().get("kind").stringValue()).isEqualTo("status");
        assertThat(received.messageAttributes().get("attempt").dataType()).isEqualTo("Number");
        assertThat(received.messageAttributes().get("attempt").stringValue()).isEqualTo("3");
    }

    @Test
    void aFilterPolicyLetsThroughOnlyMessagesWhoseAttributesMatch() {
        String topicArn = createTopic("filtered");
        Queue queue = LocalAwsTesting.createQueue(sqs, "filtered");
        String subscription = sns.subscribe(b -> b.topicArn(topicArn).protocol("sqs").endpoint(queue.arn())
                .attributes(Map.of("RawMessageDelivery", "true"))).subscriptionArn();
        sns.setSubscriptionAttributes(b -> b.subscriptionArn(subscription).attributeName("FilterPolicy")
                .attributeValue("{\"type\": [\"message.bounced\", \"message.complained\"], \"campaignId\": [\"spring\"]}"));

        sns.publish(b -> b.topicArn(topicArn).message("delivered").messageAttributes(Map.of(
                "type", stringAttribute("message.delivered"), "campaignId", stringAttribute("spring"))));
        sns.publish(b -> b.topicArn(topicArn).message("other campaign").messageAttributes(Map.of(
                "type", stringAttribute("message.bounced"), "campaignId", stringAttribute("summer"))));
        sns.publish(b -> b.topicArn(topicArn).message("no campaign").messageAttributes(Map.of(
                "type", stringAttribute("message.bounced"))));
        sns.publish(b -> b.topicArn(topicArn).message("bounced").messageAttributes(Map.of(
                "type", stringAttribute("message.bounced"), "campaignId", stringAttribute("spring"))));

        assertThat(LocalAwsTesting.receive(sqs, queue, 1)).extracting(Message::body).containsExactly("bounced");
        assertThatThrownBy(() -> sns.setSubscriptionAttributes(b -> b.subscriptionArn(subscription)
                .attributeName("FilterPolicy").attributeValue("{\"type\": [{\"prefix\": \"message.\"}]}")))
                .hasMessageContaining("only exact string values");
    }

    @Test
    void publishBatchDeliversEveryEntry() {
        String topicArn = createTopic("batch");
        Queue queue = LocalAwsTesting.createQueue(sqs, "batch");
        sns.subscribe(b -> b.topicArn(topicArn).protocol("sqs").endpoint(queue.arn())
                .attributes(Map.of("RawMessageDelivery", "true")));

        PublishBatchResponse response = sns.publishBatch(b -> b.topicArn(topicArn).publishBatchRequestEntries(
                e -> e.id("a").message("first"),
                e -> e.id("b").message("second").messageAttributes(Map.of("kind", stringAttribute("x"))),
                e -> e.id("c").message("third").subject("third subject")));

        assertThat(response.successful()).extracting(r -> r.id()).containsExactly("a", "b", "c");
        assertThat(response.successful()).allSatisfy(r -> assertThat(r.messageId()).isNotBlank());
        assertThat(response.failed()).isEmpty();
        assertThat(LocalAwsTesting.receive(sqs, queue, 3)).extracting(Message::body)
                .containsExactlyInAnyOrder("first", "second", "third");
    }

    @Test
    void publishBatchRefusesDuplicateIds() {
        String topicArn = createTopic("batch-dup");

        assertThatThrownBy(() -> sns.publishBatch(b -> b.topicArn(topicArn).publishBatchRequestEntries(
                e -> e.id("a").message("1"), e -> e.id("a").message("2"))))
                .isInstanceOf(BatchEntryIdsNotDistinctException.class);
    }

    @Test
    void topicsAndSubscriptionsCanBeManaged() {
        String name = "admin-" + UUID.randomUUID();
        String topicArn = sns.createTopic(b -> b.name(name)).topicArn();
        assertThat(topicArn).isEqualTo("arn:aws:sns:us-east-1:000000000000:" + name);
        assertThat(sns.createTopic(b -> b.name(name)).topicArn()).isEqualTo(topicArn);
        assertThat(sns.listTopics().topics()).extracting(t -> t.topicArn()).contains(topicArn);

        sns.setTopicAttributes(b -> b.topicArn(topicArn).attributeName("Policy").attributeValue("{\"Version\":\"2012-10-17\"}"));
        assertThat(sns.getTopicAttributes(b -> b.topicArn(topicArn)).attributes())
                .containsEntry("TopicArn", topicArn)
                .containsEntry("Policy", "{\"Version\":\"2012-10-17\"}");

        Queue queue = LocalAwsTesting.createQueue(sqs, "admin");
        String subscriptionArn = sns.subscribe(b -> b.topicArn(topicArn).protocol("sqs").endpoint(queue.arn()))
                .subscriptionArn();
        assertThat(sns.subscribe(b -> b.topicArn(topicArn).protocol("sqs").endpoint(queue.arn())).subscriptionArn())
                .isEqualTo(subscriptionArn);
        List<Subscription> subscriptions = sns.listSubscriptionsByTopic(b -> b.topicArn(topicArn)).subscriptions();
        assertThat(subscriptions).singleElement().satisfies(s -> {
            assertThat(s.subscriptionArn()).isEqualTo(subscriptionArn);
            assertThat(s.protocol()).isEqualTo("sqs");
            assertThat(s.endpoint()).isEqualTo(queue.arn());
        });
        assertThat(sns.listSubscriptions().subscriptions()).extracting(Subscription::subscriptionArn)
                .contains(subscriptionArn);

        sns.setSubscriptionAttributes(b -> b.subscriptionArn(subscriptionArn)
                .attributeName("RawMessageDelivery").attributeValue("true"));
        assertThat(sns.getSubscriptionAttributes(b -> b.subscriptionArn(subscriptionArn)).attributes())
                .containsEntry("RawMessageDelivery", "true")
                .containsEntry("TopicArn", topicArn);

        sns.unsubscribe(b -> b.subscriptionArn(subscriptionArn));
        assertThat(sns.listSubscriptionsByTopic(b -> b.topicArn(topicArn)).subscriptions()).isEmpty();
        sns.deleteTopic(b -> b.topicArn(topicArn));
        assertThatThrownBy(() -> sns.getTopicAttributes(b -> b.topicArn(topicArn))).isInstanceOf(NotFoundException.class);
    }

    @Test
    void invalidRequestsAnswerModeledErrors() {
        String topicArn = createTopic("errors");

        assertThatThrownBy(() -> sns.publish(b -> b.topicArn(topicArn + "-missing").message("x")))
                .isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> sns.subscribe(b -> b.topicArn(topicArn).protocol("email").endpoint("a@example.com")))
                .isInstanceOf(InvalidParameterException.class);
        assertThatThrownBy(() -> sns.subscribe(b -> b.topicArn(topicArn).protocol("sqs")
                .endpoint("arn:aws:sqs:us-east-1:000000000000:q").attributes(Map.of("RawMessageDelivery", "yes"))))
                .isInstanceOf(InvalidParameterException.class);
    }

    @Test
    void unknownActionIsAnsweredAtOnce() throws Exception {
        HttpResponse<String> response = LocalAwsTesting.postForm(localSns.endpoint(), "Action=NoSuchAction&Version=2010-03-31");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("<Code>InvalidAction</Code>", "<Type>Sender</Type>", "<RequestId>");
    }

    private static X509Certificate certificateAt(String url) throws Exception {
        byte[] pem = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofByteArray()).body();
        return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(pem));
    }

    private static boolean verifies(String algorithm, X509Certificate certificate, JsonNode envelope, String canonical)
            throws Exception {
        Signature signature = Signature.getInstance(algorithm);
        signature.initVerify(certificate);
        signature.update(canonical.getBytes(StandardCharsets.UTF_8));
        return signature.verify(Base64.getDecoder().decode(envelope.get("Signature").asText()));
    }

    private String createTopic(String prefix) {
        return sns.createTopic(b -> b.name(prefix + "-" + UUID.randomUUID())).topicArn();
    }

    private static MessageAttributeValue stringAttribute(String value) {
        return MessageAttributeValue.builder().dataType("String").stringValue(value).build();
    }
}
