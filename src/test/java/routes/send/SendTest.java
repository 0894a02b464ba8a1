package routes.send;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static routes.send.SendFixture.greeted;
import static routes.send.SendFixture.header;
import static routes.send.SendFixture.recipient;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import routes.MailroutesTest;
import routes.api.RecipientErasure;
import routes.aws.AwsProperties;
import routes.aws.Tables;
import routes.feedback.SuppressionPolicy;
import routes.intake.CampaignBucket;
import routes.localaws.LocalAws;
import routes.localaws.TopicTap;
import routes.model.CampaignStatus;
import routes.model.MessageIds;
import routes.model.MessageStatus;
import routes.model.SendChunk.Recipient;
import routes.model.SendChunk;
import routes.model.UnsubscribeToken;
import routes.store.Campaigns;
import routes.store.Ledger;
import routes.store.SuppressionList;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/** The send flow from the send queue to the outbox, the ledger and the campaign row, on the embedded AWS. */
@MailroutesTest
class SendTest {

    private static final Duration SENDING = Duration.ofSeconds(40);
    private static final Pattern UNSUBSCRIBE = Pattern.compile("<https://mailroutes\\.local/u/([^>]+)>, <mailto:unsubscribe@mailroutes\\.local\\?subject=unsubscribe-([^>]+)>");

    @Autowired DynamoDbClient dynamo;
    @Autowired SqsClient sqs;
    @Autowired S3Client s3;
    @Autowired AwsProperties aws;
    @Autowired ObjectMapper json;
    @Autowired Ledger ledger;
    @Autowired Campaigns campaigns;
    @Autowired SuppressionList suppressions;
    @Autowired UnsubscribeToken tokens;
    @Autowired SendRate sendRate;
    @Autowired CamelContext camel;
    @Autowired SnsClient sns;
    @Autowired RecipientErasure erasure;
    @Autowired SuppressionPolicy suppressionPolicy;

    @Autowired ProducerTemplate producer;

    SendFixture fixture;
    CampaignBucket bucket;

    @BeforeEach
    void fixture() {
        fixture = new SendFixture(dynamo, sqs, aws, json);
        bucket = new CampaignBucket(s3, aws);
    }

    @AfterEach
    void resetRates() {
        LocalAws.get().ses().reset();
        sendRate.reset();
    }

    @Test
    void everyRecipientGetsExactlyOneRenderedMailAndASuppressedOneNone() throws Exception {
        String campaignId = fixture.campaign(CampaignStatus.SENDING, 1);
        String run = UUID.randomUUID().toString().substring(0, 8);
        Recipient ann = recipient(campaignId, "ann-" + run + "@example.org", "send-greeting", Map.of("name", "Änne", "code", "A1"));
        Recipient bob = recipient(campaignId, "bob-" + run + "@example.org", "send-greeting", Map.of("name", "Bob"));
        Recipient gone = recipient(campaignId, "gone-" + run + "@example.org", "send-greeting", Map.of("name", "Gone"));
        suppressions.suppress(gone.email(), SuppressionList.Reason.UNSUBSCRIBE, "test", null);
        // Erasure keeps a suppressed address only as its pseudonym; the address must stay unreachable.
        Recipient erased = recipient(campaignId, "erased-" + run + "@example.org", "send-greeting", Map.of("name", "E"));
        suppressions.suppress(erased.email(), SuppressionList.Reason.COMPLAINT, "test", null);
        erasure.erase(erased.email());
        assertThat(suppressions.find(erased.email())).isEmpty();

        fixture.enqueue(campaignId, List.of(ann, bob, gone, erased), 500);

        await().atMost(SENDING).until(() -> campaigns.status(campaignId).orElseThrow() == CampaignStatus.SENT);
        assertThat(sentOrLater(status(ann))).isTrue();
        assertThat(sentOrLater(status(bob))).isTrue();
        assertThat(status(gone)).isEqualTo(MessageStatus.SUPPRESSED);
        assertThat(status(erased)).isEqualTo(MessageStatus.SUPPRESSED);
        assertThat(ledger.find(ann.messageId()).orElseThrow().sesMessageId()).isNotBlank();

        Map<String, List<MimeMessage>> mails = fixture.mailsOf(campaignId);
        assertThat(mails.keySet()).containsExactlyInAnyOrder(ann.email(), bob.email());
        assertThat(mails.values()).allSatisfy(list -> assertThat(list).hasSize(1));
        MimeMessage mail = mails.get(ann.email()).get(0);
        assertThat(mail.getSubject()).isEqualTo("Grüße, Änne");
        assertThat(mail.getFrom()[0].toString()).contains("tests@mailroutes.local");
        MimeMultipart parts = (MimeMultipart) mail.getContent();
        assertThat(parts.getContentType()).startsWith("multipart/alternative");
        assertThat(parts.getBodyPart(0).getContentType()).contains("text/plain").containsIgnoringCase("utf-8");
        assertThat(parts.getBodyPart(0).getContent().toString()).contains("Hallo Änne, your code is A1.");
        assertThat(parts.getBodyPart(1).getContentType()).contains("text/html");
        assertThat(parts.getBodyPart(1).getContent().toString()).contains("<p>Hallo Änne,</p>");
        assertThat(header(mail, "List-Unsubscribe-Post")).isEqualTo("List-Unsubscribe=One-Click");
        Matcher unsubscribe = UNSUBSCRIBE.matcher(header(mail, "List-Unsubscribe"));
        assertThat(unsubscribe.matches()).as(header(mail, "List-Unsubscribe")).isTrue();
        assertThat(tokens.verify(unsubscribe.group(1))).contains(ann.messageId());
        assertThat(unsubscribe.group(2)).isEqualTo(unsubscribe.group(1));

        await().atMost(SENDING).until(() -> counter(campaignId, "sentCount") == 2 && counter(campaignId, "suppressedCount") == 2);
    }

    @Test
    void withSimulatorSuppressionOnBounceAtTheSimulatorEndsSuppressedForTheNextCampaign() {
        suppressionPolicy.setSuppressSimulatorAddresses(true);
        try {
            String bounce = "bounce+" + UUID.randomUUID().toString().substring(0, 8) + "@simulator.amazonses.com";
            String first = fixture.campaign(CampaignStatus.SENDING, 1);
            fixture.enqueue(first, List.of(recipient(first, bounce, "send-greeting", Map.of("name", "B"))), 500);
            await().atMost(SENDING).until(() -> suppressions.find(bounce).isPresent());
            assertThat(suppressions.find(bounce).orElseThrow().reason()).isEqualTo(SuppressionList.Reason.HARD_BOUNCE);

            String next = fixture.campaign(CampaignStatus.SENDING, 1);
            Recipient again = recipient(next, bounce, "send-greeting", Map.of("name", "B"));
            fixture.enqueue(next, List.of(again), 500);

            await().atMost(SENDING).until(() -> campaigns.status(next).orElseThrow() == CampaignStatus.SENT);
            assertThat(status(again)).isEqualTo(MessageStatus.SUPPRESSED);
            assertThat(fixture.mailsTo(bounce)).as("only the first campaign's mail").hasSize(1);
        } finally {
            suppressionPolicy.setSuppressSimulatorAddresses(false);
        }
    }

    @Test
    void aTransientBounceIsSentOnceMoreByTheSendFlowAndCountedSentOnce() {
        suppressionPolicy.setRetryDelay(Duration.ofSeconds(1));
        try {
            String campaignId = fixture.campaign(CampaignStatus.SENDING, 1);
            Recipient away = recipient(campaignId, "mailboxfull+" + UUID.randomUUID().toString().substring(0, 8)
                    + "@simulator.amazonses.com", "send-greeting", Map.of("name", "Olli"));

            fixture.enqueue(campaignId, List.of(away), 500);

            // A transient bounce (mailbox full); feedback puts the one retry on the send queue, which bounces again.
            await().atMost(SENDING).until(() -> fixture.mailsTo(away.email()).size() == 2);
            Ledger.Entry row = ledger.find(away.messageId()).orElseThrow();
            assertThat(row.attempts()).isEqualTo(2);
            await().atMost(SENDING).until(() -> ledger.find(away.messageId()).orElseThrow().status() == MessageStatus.SOFT_BOUNCED);
            await().atMost(SENDING).until(() -> counter(campaignId, "sentCount") == 1);
            assertThat(fixture.mailsTo(away.email())).as("one retry only").hasSize(2);
        } finally {
            suppressionPolicy.setRetryDelay(Duration.ofMinutes(15));
        }
    }

    @Test
    void aTemplateErrorFailsThatRecipientAndTheRestGoOut() {
        String campaignId = fixture.campaign(CampaignStatus.SENDING, 1);
        String run = UUID.randomUUID().toString().substring(0, 8);
        Recipient ann = recipient(campaignId, "ann-" + run + "@example.org", "send-greeting", Map.of("name", "Ann"));
        Recipient nameless = recipient(campaignId, "nameless-" + run + "@example.org", "send-greeting", Map.of());
        Recipient broken = recipient(campaignId, "broken-" + run + "@example.org", "send-broken", Map.of("name", "B"));
        Recipient unknown = recipient(campaignId, "unknown-" + run + "@example.org", "send-no-such-template", Map.of());
        Recipient cid = recipient(campaignId, "cid-" + run + "@example.org", "send-greeting", Map.of("name", "Cid"));

        fixture.enqueue(campaignId, List.of(ann, nameless, broken, unknown, cid), 500);

        await().atMost(SENDING).until(() -> campaigns.status(campaignId).orElseThrow() == CampaignStatus.SENT);
        assertThat(List.of(status(ann), status(cid))).allMatch(SendTest::sentOrLater);
        assertThat(ledger.find(nameless.messageId()).orElseThrow()).satisfies(entry -> {
            assertThat(entry.status()).isEqualTo(MessageStatus.FAILED);
            assertThat(entry.lastError()).contains("TemplateError").contains("[name]");
        });
        assertThat(ledger.find(broken.messageId()).orElseThrow().lastError()).contains("does not parse");
        assertThat(ledger.find(unknown.messageId()).orElseThrow().lastError()).contains("not found");
        assertThat(fixture.mailsOf(campaignId).keySet()).containsExactlyInAnyOrder(ann.email(), cid.email());
        await().atMost(SENDING).until(() -> counter(campaignId, "failedCount") == 3 && counter(campaignId, "sentCount") == 2);
    }

    @Test
    void aPausedCampaignStopsWithinASecondAndResumesWhereItStopped() {
        sendRate.setMaxRate(5);
        String campaignId = fixture.campaign(CampaignStatus.SENDING, 1);
        List<Recipient> recipients = greeted(campaignId, 30);
        fixture.enqueue(campaignId, recipients, 500);
        await().atMost(SENDING).until(() -> fixture.mailCount(campaignId) >= 3);

        Instant pausedAt = Instant.now();
        campaigns.transition(campaignId, Set.of(CampaignStatus.SENDING), CampaignStatus.PAUSED);
        int paused = stopsWithinASecond(campaignId, recipients, pausedAt);
        assertThat(paused).isLessThan(30);

        campaigns.transition(campaignId, Set.of(CampaignStatus.PAUSED), CampaignStatus.SENDING);
        await().atMost(SENDING).until(() -> campaigns.status(campaignId).orElseThrow() == CampaignStatus.SENT);
        Map<String, List<MimeMessage>> mails = fixture.mailsOf(campaignId);
        assertThat(mails).hasSize(30);
        assertThat(mails.values()).allSatisfy(list -> assertThat(list).hasSize(1));
    }

    @Test
    void recipientsWaitingForAThrottlePermitHoldNoClaim() {
        sendRate.setMaxRate(2);
        String campaignId = fixture.campaign(CampaignStatus.SENDING, 1);
        fixture.enqueue(campaignId, greeted(campaignId, 30), 500);
        await().atMost(SENDING).until(() -> fixture.mailCount(campaignId) >= 3);

        // The split's ten threads each hold a recipient waiting for an SES slot. Only the calls SES has not
        // answered yet (at most the rate, held by the per-second pacer) may be SENDING: a crash now
        // leaves nobody else ambiguous.
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(3)).pollInterval(Duration.ofMillis(100))
                .until(() -> ledger.countInStatus(campaignId, List.of(MessageStatus.SENDING)) <= 3);
        campaigns.transition(campaignId, Set.of(CampaignStatus.SENDING), CampaignStatus.CANCELLED);
    }

    @Test
    void aCancelledCampaignSendsNoMore() {
        sendRate.setMaxRate(5);
        String campaignId = fixture.campaign(CampaignStatus.SENDING, 1);
        List<Recipient> recipients = greeted(campaignId, 30);
        fixture.enqueue(campaignId, recipients, 500);
        await().atMost(SENDING).until(() -> fixture.mailCount(campaignId) >= 2);

        Instant cancelledAt = Instant.now();
        campaigns.transition(campaignId, Set.of(CampaignStatus.SENDING), CampaignStatus.CANCELLED);
        int cancelled = stopsWithinASecond(campaignId, recipients, cancelledAt);
        assertThat(cancelled).isLessThan(30);
        assertThat(recipients).filteredOn(r -> !sentOrLater(status(r))).isNotEmpty()
                .allSatisfy(r -> assertThat(status(r)).isIn(null, MessageStatus.QUEUED));
        assertThat(campaigns.status(campaignId)).contains(CampaignStatus.CANCELLED);
    }

    @Test
    void sesThrottlingABurstStillSendsEveryRecipientExactlyOnce() {
        LocalAws.get().ses().setMaxSendRate(5);
        sendRate.setMaxRate(50);
        String campaignId = fixture.campaign(CampaignStatus.SENDING, 3);
        List<Recipient> recipients = greeted(campaignId, 30);
        fixture.enqueue(campaignId, recipients, 10);

        await().atMost(Duration.ofSeconds(60)).until(() -> campaigns.status(campaignId).orElseThrow() == CampaignStatus.SENT);
        Map<String, List<MimeMessage>> mails = fixture.mailsOf(campaignId);
        assertThat(mails).hasSize(30);
        assertThat(mails.values()).allSatisfy(list -> assertThat(list).hasSize(1));
        assertThat(recipients).allSatisfy(r -> assertThat(sentOrLater(status(r))).isTrue());
    }

    @Test
    void accountSendingPausedPausesTheCampaignAndNothingIsLost() {
        TopicTap statuses = TopicTap.on(aws.topics().status(), sns, sqs);
        LocalAws.get().ses().pauseAccountSending(true);
        String campaignId = fixture.campaign(CampaignStatus.SENDING, 1);
        List<Recipient> recipients = greeted(campaignId, 3);
        fixture.enqueue(campaignId, recipients, 500);

        await().atMost(SENDING).until(() -> campaigns.status(campaignId).orElseThrow() == CampaignStatus.PAUSED);
        assertThat(fixture.mailCount(campaignId)).isZero();
        await().atMost(SENDING).untilAsserted(() -> assertThat(statuses.receive()).anySatisfy(body -> {
            JsonNode event = json.readTree(body);
            assertThat(event.path("type").asText()).isEqualTo("campaign.paused");
            assertThat(event.path("campaignId").asText()).isEqualTo(campaignId);
            assertThat(event.path("detail").path("reason").asText()).isEqualTo("ses-sending-paused");
            assertThat(event.path("detail").path("summary").has("totalMessages")).isTrue();
        }));

        LocalAws.get().ses().pauseAccountSending(false);
        campaigns.transition(campaignId, Set.of(CampaignStatus.PAUSED), CampaignStatus.SENDING);
        await().atMost(SENDING).until(() -> campaigns.status(campaignId).orElseThrow() == CampaignStatus.SENT);
        assertThat(fixture.mailsOf(campaignId)).hasSize(3).allSatisfy((to, list) -> assertThat(list).hasSize(1));
    }

    @Test
    void aTransactionalSendGoesOutFromItsOwnQueue() throws Exception {
        String email = "tx-" + UUID.randomUUID() + "@example.org";
        String messageId = UUID.randomUUID().toString();
        dynamo.putItem(b -> b.tableName(aws.table(Tables.MESSAGES)).item(Map.of(
                "messageId", AttributeValue.fromS(messageId), "status", AttributeValue.fromS("QUEUED"),
                "statusRank", AttributeValue.fromN("0"), "recipient", AttributeValue.fromS(email),
                "metadata", AttributeValue.fromS("order-17"))));
        Recipient recipient = new Recipient(messageId, email, "send-greeting", null, "Your order", null, Map.of("name", "Tx"));
        fixture.enqueue(aws.queues().transactional(), new SendChunk(null, 0, null, "help@mailroutes.local", null, null, List.of(recipient)));

        await().atMost(SENDING).until(() -> sentOrLater(ledger.find(messageId).orElseThrow().status()));
        List<MimeMessage> mails = fixture.mailsTo(email);
        assertThat(mails).hasSize(1);
        assertThat(mails.get(0).getSubject()).isEqualTo("Your order");
        assertThat(mails.get(0).getReplyTo()[0].toString()).isEqualTo("help@mailroutes.local");
        assertThat(mails.get(0).getFrom()[0].toString()).isEqualTo("noreply@mailroutes.local");
        assertThat(header(mails.get(0), "List-Unsubscribe")).isNull();
        assertThat(dynamo.getItem(b -> b.tableName(aws.table(Tables.MESSAGES))
                .key(Map.of("messageId", AttributeValue.fromS(messageId)))).item().get("metadata").s()).isEqualTo("order-17");
    }

    @Test
    void aTemplateInS3IsUsedAndCannotReachClassesOrFiles() throws Exception {
        String sneaky = "send-s3-" + UUID.randomUUID();
        putTemplate(sneaky, "From S3 for $name", "<p>$name.getClass().forName('java.lang.Runtime').getRuntime()</p>", "plain $name");
        String reader = "send-s3-" + UUID.randomUUID();
        putTemplate(reader, "reads files", "#parse('/etc/passwd')", "#include('/etc/hostname')");
        String campaignId = fixture.campaign(CampaignStatus.SENDING, 1);
        String run = UUID.randomUUID().toString().substring(0, 8);
        Recipient ann = recipient(campaignId, "ann-" + run + "@example.org", sneaky, Map.of("name", "Ann"));
        Recipient bob = recipient(campaignId, "bob-" + run + "@example.org", reader, Map.of("name", "Bob"));

        fixture.enqueue(campaignId, List.of(ann, bob), 500);

        await().atMost(SENDING).until(() -> campaigns.status(campaignId).orElseThrow() == CampaignStatus.SENT);
        MimeMessage mail = fixture.mailsOf(campaignId).get(ann.email()).get(0);
        assertThat(mail.getSubject()).isEqualTo("From S3 for Ann");
        String html = ((MimeMultipart) mail.getContent()).getBodyPart(1).getContent().toString();
        assertThat(html).contains("forName").doesNotContain("java.lang.Runtime@");
        assertThat(status(bob)).isEqualTo(MessageStatus.FAILED);
        assertThat(fixture.mailsOf(campaignId)).doesNotContainKey(bob.email());
    }

    @Test
    void recipientDataIsEscapedInTheHtmlPartOnlyAndTheAuthorsRawValueAndUnsubscribeUrlAreNot() throws Exception {
        String hostile = "<a href=\"https://evil.example/reset\">Reset</a><img src=x onerror=alert(1)>";
        String email = "mallory-" + UUID.randomUUID().toString().substring(0, 8) + "@example.org";
        String campaignId = launched("send-escaping", List.of(
                Map.of("email", email, "firstName", hostile, "signature", "<b>The team</b>")));

        await().atMost(SENDING).until(() -> fixture.mailsOf(campaignId).containsKey(email));
        MimeMessage mail = fixture.mailsOf(campaignId).get(email).get(0);
        MimeMultipart parts = (MimeMultipart) mail.getContent();
        String text = parts.getBodyPart(0).getContent().toString();
        String html = parts.getBodyPart(1).getContent().toString();
        assertThat(html).contains("<p>Hello &lt;a href=&quot;https://evil.example/reset&quot;&gt;Reset&lt;/a&gt;"
                + "&lt;img src=x onerror=alert(1)&gt;,</p>").doesNotContain("<img").doesNotContain("evil.example/reset\"");
        assertThat(html).as("$raw. opts out").contains("<div><b>The team</b></div>");
        assertThat(text).contains("Hello " + hostile + ", <b>The team</b>");
        assertThat(mail.getSubject()).isEqualTo("For " + hostile);

        Matcher unsubscribe = UNSUBSCRIBE.matcher(header(mail, "List-Unsubscribe"));
        assertThat(unsubscribe.matches()).isTrue();
        String url = "https://mailroutes.local/u/" + unsubscribe.group(1);
        assertThat(html).contains("<a href=\"" + url + "\">Unsubscribe</a>");
        assertThat(text).contains("Unsubscribe: " + url);
        assertThat(tokens.verify(unsubscribe.group(1))).contains(MessageIds.forCampaign(campaignId, email));
    }

    @Test
    void aRunawayForeachOrAHugeOutputFailsOnlyThatRecipientWithTemplateLimit() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String ok = "ok-" + run + "@example.org";
        String loop = "loop-" + run + "@example.org";
        String wide = "wide-" + run + "@example.org";
        String campaignId = launched("send-runaway", List.of(
                Map.of("email", ok, "rows", 3, "cell", "row "),
                Map.of("email", loop, "rows", 100_000_000, "cell", "-"),
                Map.of("email", wide, "rows", 2_000, "cell", "x".repeat(1_000))));

        await().atMost(SENDING).until(() -> campaigns.status(campaignId).orElseThrow() == CampaignStatus.SENT);
        assertThat(sentOrLater(ledger.find(MessageIds.forCampaign(campaignId, ok)).orElseThrow().status())).isTrue();
        assertThat(ledger.find(MessageIds.forCampaign(campaignId, loop)).orElseThrow()).satisfies(entry -> {
            assertThat(entry.status()).isEqualTo(MessageStatus.FAILED);
            assertThat(entry.lastError()).startsWith("TemplateLimit:").contains("more than 10000 #foreach iterations");
        });
        assertThat(ledger.find(MessageIds.forCampaign(campaignId, wide)).orElseThrow()).satisfies(entry -> {
            assertThat(entry.status()).isEqualTo(MessageStatus.FAILED);
            assertThat(entry.lastError()).startsWith("TemplateLimit:").contains("output longer than 1000000 characters");
        });
        assertThat(fixture.mailsOf(campaignId).keySet()).containsExactly(ok);
        assertThat(((MimeMultipart) fixture.mailsOf(campaignId).get(ok).get(0).getContent()).getBodyPart(0).getContent())
                .isEqualTo("row row row ");
    }

    /** Drops a one-segment campaign file of {@code template} into the inbox, waits for its acceptance and launches it. */
    private String launched(String template, List<Map<String, Object>> recipients) throws Exception {
        String name = CampaignBucket.unique("send.json");
        String campaignId = "send-" + name.substring(0, 8);
        bucket.drop(name, json.writeValueAsString(Map.of("campaignId", campaignId, "name", "Send test",
                "from", "Tests <tests@mailroutes.local>", "template", template,
                "segments", List.of(Map.of("listName", "members", "recipients", recipients)))));
        JsonNode report = bucket.awaitReport(name);
        assertThat(report.path("outcome").asText()).as(report.toString()).isEqualTo("ACCEPTED");
        producer.sendBody("direct:launch-now", null);
        return campaignId;
    }

    private void putTemplate(String name, String subject, String html, String text) {
        SendFixture.putTemplate(s3, aws, name, Map.of("template.json", "{\"description\": \"test\", \"requiredVariables\": [\"name\"]}",
                "subject.vm", subject, "body.html.vm", html, "body.txt.vm", text));
    }

    /** No mail of the campaign goes out later than one second after {@code stoppedAt}, and then none at all. */
    private int stopsWithinASecond(String campaignId, List<Recipient> recipients, Instant stoppedAt) {
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(8)).until(fixture.countOf(campaignId)::stable);
        for (Recipient recipient : recipients) {
            Map<String, AttributeValue> row = dynamo.getItem(b -> b.tableName(aws.table(Tables.MESSAGES))
                    .key(Map.of("messageId", AttributeValue.fromS(recipient.messageId())))).item();
            if (row.containsKey("sentAt")) {
                assertThat(Instant.parse(row.get("sentAt").s())).isBefore(stoppedAt.plusSeconds(1));
            }
        }
        return fixture.mailCount(campaignId);
    }

    private MessageStatus status(Recipient recipient) {
        return ledger.find(recipient.messageId()).map(Ledger.Entry::status).orElse(null);
    }

    private long counter(String campaignId, String attribute) {
        AttributeValue value = dynamo.getItem(b -> b.tableName(aws.table(Tables.CAMPAIGNS))
                .key(Map.of("campaignId", AttributeValue.fromS(campaignId)))).item().get(attribute);
        return value == null ? 0 : Long.parseLong(value.n());
    }

    /** SENT as the send flow writes it, or a later status the feedback flow has already moved it to. */
    private static boolean sentOrLater(MessageStatus status) {
        return EnumSet.of(MessageStatus.SENT, MessageStatus.DELIVERY_DELAYED, MessageStatus.DELIVERED,
                MessageStatus.OPENED, MessageStatus.CLICKED).contains(status);
    }
}
