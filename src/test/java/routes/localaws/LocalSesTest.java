package routes.localaws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import routes.localaws.LocalAwsTesting.Queue;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.ses.SesClient;
import software.amazon.awssdk.services.ses.model.AccountSendingPausedException;
import software.amazon.awssdk.services.ses.model.BulkEmailDestinationStatus;
import software.amazon.awssdk.services.ses.model.BulkEmailStatus;
import software.amazon.awssdk.services.ses.model.ConfigurationSetAlreadyExistsException;
import software.amazon.awssdk.services.ses.model.ConfigurationSetDoesNotExistException;
import software.amazon.awssdk.services.ses.model.EventDestination;
import software.amazon.awssdk.services.ses.model.GetSendQuotaResponse;
import software.amazon.awssdk.services.ses.model.MessageRejectedException;
import software.amazon.awssdk.services.ses.model.SendEmailRequest;
import software.amazon.awssdk.services.ses.model.SesException;
import software.amazon.awssdk.services.ses.model.TemplateDoesNotExistException;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/** LocalSes through the real SesClient, with events travelling through LocalSns into ElasticMQ. */
class LocalSesTest {

    private static final String SENDER = "sender@example.com";
    private static final String SIMULATOR = "@simulator.amazonses.com";

    @TempDir
    static Path outbox;

    private static SqsClient sqs;
    private static LocalSns localSns;
    private static LocalSes localSes;
    private static SnsClient sns;
    private static SesClient ses;
    private static SesClient sesWithoutRetries;

    @BeforeAll
    static void start() {
        sqs = LocalAwsTesting.sqs(LocalAwsTesting.sqsEndpoint());
        localSns = new LocalSns(sqs, LocalAwsTesting.REGION, LocalAwsTesting.ACCOUNT);
        localSns.start();
        localSes = new LocalSes(localSns, outbox, LocalAwsTesting.REGION, LocalAwsTesting.ACCOUNT);
        localSes.start();
        sns = LocalAwsTesting.sns(localSns.endpoint());
        ses = LocalAwsTesting.ses(localSes.endpoint());
        sesWithoutRetries = LocalAwsTesting.sesWithoutRetries(localSes.endpoint());
    }

    @AfterEach
    void resetLimits() {
        localSes.reset();
    }

    @AfterAll
    static void stop() {
        sesWithoutRetries.close();
        ses.close();
        sns.close();
        localSes.close();
        localSns.close();
        sqs.close();
    }

    @Test
    void sendRawEmailPublishesSendAndDeliveryEvents() throws IOException {
        EventSink sink = eventSink();
        String mime = "From: Sender <sender@example.com>\r\n"
                + "To: reader@example.com\r\n"
                + "Subject: Raw hello\r\n"
                + "X-SES-CONFIGURATION-SET: " + sink.configurationSet() + "\r\n"
                + "X-SES-MESSAGE-TAGS: campaign=c42, kind=raw\r\n"
                + "MIME-Version: 1.0\r\n"
                + "Content-Type: text/plain; charset=UTF-8\r\n"
                + "\r\n"
                + "Hello\r\n";

        String messageId = ses.sendRawEmail(b -> b.rawMessage(m -> m.data(SdkBytes.fromUtf8String(mime)))).messageId();

        assertThat(messageId).matches("01[0-9a-f]{14}-[0-9a-f-]{36}-000000");
        List<JsonNode> events = sink.events(2);
        assertThat(events).extracting(LocalSesTest::eventType).containsExactlyInAnyOrder("Send", "Delivery");
        JsonNode delivery = event(events, "Delivery");
        assertThat(delivery.at("/mail/messageId").asText()).isEqualTo(messageId);
        assertThat(delivery.at("/mail/source").asText()).isEqualTo("Sender <sender@example.com>");
        assertThat(delivery.at("/mail/destination/0").asText()).isEqualTo("reader@example.com");
        assertThat(delivery.at("/mail/commonHeaders/subject").asText()).isEqualTo("Raw hello");
        assertThat(delivery.at("/mail/headers/0/name").asText()).isEqualTo("From");
        assertThat(delivery.at("/mail/tags/campaign/0").asText()).isEqualTo("c42");
        assertThat(delivery.at("/mail/tags/ses:configuration-set/0").asText()).isEqualTo(sink.configurationSet());
        assertThat(delivery.at("/mail/tags/ses:from-domain/0").asText()).isEqualTo("example.com");
        assertThat(delivery.at("/delivery/recipients/0").asText()).isEqualTo("reader@example.com");
        assertThat(delivery.at("/delivery/smtpResponse").asText()).isEqualTo("250 2.6.0 Message received");
        assertThat(event(events, "Send").get("send").isObject()).isTrue();
        Path eml = outbox.resolve(messageId + ".eml");
        assertThat(Files.readString(eml)).isEqualTo(mime);
        assertThat(localSes.outboxFiles()).contains(eml);
        assertThat(localSes.sentCount()).isEqualTo(1);
    }

    @Test
    void bounceAddressPublishesBounceWithRecipientAndTags() {
        EventSink sink = eventSink();
        String address = "Bounce+x1" + SIMULATOR;

        String messageId = ses.sendEmail(email(address)
                .configurationSetName(sink.configurationSet())
                .tags(t -> t.name("campaign").value("c7"))
                .build()).messageId();

        List<JsonNode> events = sink.events(2);
        assertThat(events).extracting(LocalSesTest::eventType).containsExactlyInAnyOrder("Send", "Bounce");
        JsonNode bounce = event(events, "Bounce");
        assertThat(bounce.at("/mail/messageId").asText()).isEqualTo(messageId);
        assertThat(bounce.at("/mail/tags/campaign/0").asText()).isEqualTo("c7");
        assertThat(bounce.at("/mail/tags/ses:operation/0").asText()).isEqualTo("SendEmail");
        assertThat(bounce.at("/bounce/bounceType").asText()).isEqualTo("Permanent");
        assertThat(bounce.at("/bounce/bounceSubType").asText()).isEqualTo("General");
        JsonNode recipient = bounce.at("/bounce/bouncedRecipients/0");
        assertThat(recipient.get("emailAddress").asText()).isEqualTo(address);
        assertThat(recipient.get("action").asText()).isEqualTo("failed");
        assertThat(recipient.get("status").asText()).isEqualTo("5.1.1");
        assertThat(recipient.get("diagnosticCode").asText()).isEqualTo("smtp; 550 5.1.1 user unknown");
    }

    @ParameterizedTest
    @CsvSource({
        "success@simulator.amazonses.com,         Send Delivery",
        "ooto@simulator.amazonses.com,            Send Delivery Bounce",
        "COMPLAINT+a@simulator.amazonses.com,     Send Delivery Complaint",
        "suppressionlist@simulator.amazonses.com, Send Bounce",
        "delay@simulator.amazonses.com,           Send DeliveryDelay",
        "reader@example.com,                      Send Delivery"
    })
    void mailboxSimulatorDecidesTheEvents(String address, String expectedEvents) {
        EventSink sink = eventSink();

        ses.sendEmail(email(address).configurationSetName(sink.configurationSet()).build());

        String[] expected = expectedEvents.split(" ");
        assertThat(sink.events(expected.length)).extracting(LocalSesTest::eventType)
                .containsExactlyInAnyOrder(expected);
    }

    @Test
    void rejectAddressIsRefusedWithRejectEvent() {
        EventSink sink = eventSink();

        assertThatThrownBy(() -> ses.sendEmail(email("reject" + SIMULATOR)
                .configurationSetName(sink.configurationSet()).build()))
                .isInstanceOf(MessageRejectedException.class);

        assertThat(sink.events(1)).extracting(LocalSesTest::eventType).containsExactly("Reject");
        assertThat(localSes.sentCount()).isZero();
    }

    @Test
    void sendEmailWritesTheComposedMessage() throws IOException {
        EventSink sink = eventSink();

        String messageId = ses.sendEmail(email("to@example.com").destination(d -> d
                        .toAddresses("to@example.com").bccAddresses("hidden@example.com"))
                .configurationSetName(sink.configurationSet()).build()).messageId();

        String eml = Files.readString(outbox.resolve(messageId + ".eml"));
        assertThat(eml).contains("From: " + SENDER, "To: to@example.com", "Subject: Hi",
                "Message-ID: <" + messageId + "@email.amazonses.com>", "Hello there").doesNotContain("hidden@");
        JsonNode send = event(sink.events(2), "Send");
        assertThat(send.at("/mail/destination")).extracting(JsonNode::asText)
                .containsExactly("to@example.com", "hidden@example.com");
    }

    @Test
    void sendsOverTheRateAreThrottled() {
        localSes.setMaxSendRate(2);

        SesException throttled = assertThrows(SesException.class, () -> {
            for (int i = 0; i < 10; i++) {
                sesWithoutRetries.sendEmail(email("reader@example.com").build());
            }
        });

        assertThat(throttled.statusCode()).isEqualTo(400);
        assertThat(throttled.awsErrorDetails().errorCode()).isEqualTo("Throttling");
        assertThat(throttled.awsErrorDetails().errorMessage()).isEqualTo("Maximum sending rate exceeded.");
        assertThat(throttled.isThrottlingException()).isTrue();
        assertThat(localSes.sentCount()).isGreaterThanOrEqualTo(2);
    }

    @Test
    void sendsOverTheDailyQuotaAreThrottled() {
        localSes.setMax24HourSend(1);
        sesWithoutRetries.sendEmail(email("reader@example.com").build());

        SesException throttled = assertThrows(SesException.class,
                () -> sesWithoutRetries.sendEmail(email("reader@example.com").build()));

        assertThat(throttled.awsErrorDetails().errorCode()).isEqualTo("Throttling");
        assertThat(throttled.awsErrorDetails().errorMessage()).isEqualTo("Daily message quota exceeded.");
    }

    @Test
    void pausedAccountRefusesEverySend() {
        localSes.pauseAccountSending(true);

        assertThatThrownBy(() -> ses.sendEmail(email("reader@example.com").build()))
                .isInstanceOf(AccountSendingPausedException.class);
    }

    @Test
    void bulkTemplatedEmailReportsEachDestination() throws IOException {
        String template = createTemplate("Hi {{name}}", "Hello {{name}}, code {{code}}", "<p>Hello {{name}}</p>");

        List<BulkEmailDestinationStatus> statuses = ses.sendBulkTemplatedEmail(b -> b
                .source(SENDER)
                .template(template)
                .defaultTemplateData("{\"code\":\"X1\"}")
                .destinations(
                        d -> d.destination(t -> t.toAddresses("ada@example.com"))
                                .replacementTemplateData("{\"name\":\"Ada\"}"),
                        d -> d.destination(t -> t.toAddresses("bob@example.com"))
                                .replacementTemplateData("{\"name\":\"Bob <b>\"}"),
                        d -> d.destination(t -> t.toAddresses("reject" + SIMULATOR))
                                .replacementTemplateData("{\"name\":\"Rex\"}"))).status();

        assertThat(statuses).extracting(BulkEmailDestinationStatus::status)
                .containsExactly(BulkEmailStatus.SUCCESS, BulkEmailStatus.SUCCESS, BulkEmailStatus.MESSAGE_REJECTED);
        String ada = Files.readString(outbox.resolve(statuses.get(0).messageId() + ".eml"));
        assertThat(ada).contains("Subject: Hi Ada", "Hello Ada, code X1", "<p>Hello Ada</p>");
        String bob = Files.readString(outbox.resolve(statuses.get(1).messageId() + ".eml"));
        assertThat(bob).contains("<p>Hello Bob &lt;b&gt;</p>");
        assertThat(statuses.get(2).messageId()).isNull();
        assertThat(statuses.get(2).error()).isNotBlank();
    }

    @Test
    void bulkWithUnknownTemplateFailsEachDestination() {
        List<BulkEmailDestinationStatus> statuses = ses.sendBulkTemplatedEmail(b -> b
                .source(SENDER)
                .template("no-such-template")
                .defaultTemplateData("{}")
                .destinations(d -> d.destination(t -> t.toAddresses("a@example.com")),
                        d -> d.destination(t -> t.toAddresses("b@example.com")))).status();

        assertThat(statuses).extracting(BulkEmailDestinationStatus::status)
                .containsOnly(BulkEmailStatus.TEMPLATE_DOES_NOT_EXIST);
        assertThatThrownBy(() -> ses.sendTemplatedEmail(b -> b.source(SENDER).template("no-such-template")
                .templateData("{}").destination(d -> d.toAddresses("a@example.com"))))
                .isInstanceOf(TemplateDoesNotExistException.class);
    }

    @Test
    void templateDataWithoutAVariableGivesRenderingFailure() {
        EventSink sink = eventSink();
        String template = createTemplate("Hi {{name}}", "Hello {{name}}", null);

        String messageId = ses.sendTemplatedEmail(b -> b.source(SENDER).template(template).templateData("{}")
                .destination(d -> d.toAddresses("reader@example.com"))
                .configurationSetName(sink.configurationSet())).messageId();

        List<JsonNode> events = sink.events(2);
        assertThat(events).extracting(LocalSesTest::eventType).containsExactlyInAnyOrder("Send", "Rendering Failure");
        assertThat(event(events, "Rendering Failure").at("/failure/templateName").asText()).isEqualTo(template);
        assertThat(outbox.resolve(messageId + ".eml")).doesNotExist();
    }

    @Test
    void sendQuotaAndStatisticsReportTheCounters() {
        localSes.setMaxSendRate(14);
        localSes.setMax24HourSend(1000);

        ses.sendEmail(email("a@example.com").destination(d -> d.toAddresses("a@example.com", "bounce" + SIMULATOR))
                .build());

        GetSendQuotaResponse quota = ses.getSendQuota();
        assertThat(quota.max24HourSend()).isEqualTo(1000.0);
        assertThat(quota.maxSendRate()).isEqualTo(14.0);
        assertThat(quota.sentLast24Hours()).isEqualTo(2.0);
        assertThat(ses.getSendStatistics().sendDataPoints()).singleElement().satisfies(point -> {
            assertThat(point.deliveryAttempts()).isEqualTo(2);
            assertThat(point.bounces()).isEqualTo(1);
            assertThat(point.timestamp()).isNotNull();
        });
    }

    @Test
    void configurationSetsTemplatesAndIdentitiesCanBeManaged() {
        EventSink sink = eventSink();
        String template = createTemplate("S", "T", "H");

        assertThatThrownBy(() -> ses.createConfigurationSet(b -> b.configurationSet(c -> c.name(sink.configurationSet()))))
                .isInstanceOf(ConfigurationSetAlreadyExistsException.class);
        assertThat(ses.listConfigurationSets().configurationSets()).extracting(c -> c.name())
                .contains(sink.configurationSet());
        EventDestination destination = ses.describeConfigurationSet(b -> b.configurationSetName(sink.configurationSet()))
                .eventDestinations().get(0);
        assertThat(destination.enabled()).isTrue();
        assertThat(destination.matchingEventTypesAsStrings()).contains("send", "bounce", "deliveryDelay");
        assertThat(destination.snsDestination().topicARN()).startsWith("arn:aws:sns:us-east-1:000000000000:");
        assertThatThrownBy(() -> ses.sendEmail(email("a@example.com").configurationSetName("missing-set").build()))
                .isInstanceOf(ConfigurationSetDoesNotExistException.class);

        assertThat(ses.getTemplate(b -> b.templateName(template)).template().htmlPart()).isEqualTo("H");
        assertThat(ses.listTemplates().templatesMetadata()).extracting(t -> t.name()).contains(template);
        ses.deleteTemplate(b -> b.templateName(template));
        assertThatThrownBy(() -> ses.getTemplate(b -> b.templateName(template)))
                .isInstanceOf(TemplateDoesNotExistException.class);

        ses.verifyEmailIdentity(b -> b.emailAddress(SENDER));
        assertThat(ses.listIdentities().identities()).contains(SENDER);
    }

    @Test
    void unknownActionIsAnsweredAtOnce() throws Exception {
        HttpResponse<String> response = LocalAwsTesting.postForm(localSes.endpoint(), "Action=SendCarrierPigeon&Version=2010-12-01");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("<ErrorResponse xmlns=\"http://ses.amazonaws.com/doc/2010-12-01/\">",
                "<Code>InvalidAction</Code>");
    }

    private static SendEmailRequest.Builder email(String to) {
        return SendEmailRequest.builder()
                .source(SENDER)
                .destination(d -> d.toAddresses(to))
                .message(m -> m.subject(s -> s.data("Hi")).body(b -> b.text(t -> t.data("Hello there"))));
    }

    private static String createTemplate(String subject, String text, String html) {
        String name = "template-" + UUID.randomUUID();
        ses.createTemplate(b -> b.template(t -> t.templateName(name).subjectPart(subject).textPart(text).htmlPart(html)));
        return name;
    }

    /** A configuration set whose every event goes through its own SNS topic into its own queue. */
    private static EventSink eventSink() {
        String topicArn = sns.createTopic(b -> b.name("ses-events-" + UUID.randomUUID())).topicArn();
        Queue queue = LocalAwsTesting.createQueue(sqs, "ses-events");
        sns.subscribe(b -> b.topicArn(topicArn).protocol("sqs").endpoint(queue.arn()));
        String configurationSet = "set-" + UUID.randomUUID();
        ses.createConfigurationSet(b -> b.configurationSet(c -> c.name(configurationSet)));
        ses.createConfigurationSetEventDestination(b -> b.configurationSetName(configurationSet)
                .eventDestination(d -> d.name("to-sns").enabled(true)
                        .matchingEventTypesWithStrings("send", "delivery", "bounce", "complaint", "reject",
                                "renderingFailure", "deliveryDelay")
                        .snsDestination(s -> s.topicARN(topicArn))));
        return new EventSink(configurationSet, queue);
    }

    private record EventSink(String configurationSet, Queue queue) {
        /** The SES events, unwrapped from their SNS envelopes. */
        List<JsonNode> events(int count) {
            return LocalAwsTesting.receive(sqs, queue, count).stream()
                    .map(message -> json(json(message.body()).get("Message").asText()))
                    .toList();
        }
    }

    private static String eventType(JsonNode event) {
        return event.get("eventType").asText();
    }

    private static JsonNode event(List<JsonNode> events, String type) {
        return events.stream().filter(e -> eventType(e).equals(type)).findFirst()
                .orElseThrow(() -> new AssertionError("No " + type + " event in " + events));
    }

    private static JsonNode json(String text) {
        try {
            return AwsJson.read(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
