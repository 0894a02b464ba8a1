package routes.send;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static routes.send.SendFixture.greeted;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.mail.BodyPart;
import jakarta.mail.Message;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.http.HttpMethod;
import org.springframework.http.ResponseEntity;
import routes.MailroutesTest;
import routes.api.ApiRequests;
import routes.aws.AwsProperties;
import routes.localaws.TopicTap;
import routes.model.CampaignStatus;
import routes.store.Campaigns;
import routes.store.Ledger;
import routes.store.MessageQueries;
import routes.store.SuppressionList;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/** {@code POST /api/v1/emails} through the send flow's transactional lane to the outbox. */
@MailroutesTest
class TransactionalSendTest {


    @Autowired TestRestTemplate http;
    @Autowired DynamoDbClient dynamo;
    @Autowired SqsClient sqs;
    @Autowired AwsProperties aws;
    @Autowired ObjectMapper json;
    @Autowired Ledger ledger;
    @Autowired MessageQueries messages;
    @Autowired Campaigns campaigns;
    @Autowired SendRate sendRate;
    @Autowired SuppressionList suppressions;
    @Autowired SnsClient sns;

    SendFixture fixture;

    @BeforeEach
    void fixture() {
        fixture = new SendFixture(dynamo, sqs, aws, json);
    }

    @AfterEach
    void resetRate() {
        sendRate.reset();
    }

    @Test
    void theStoredRequestGoesOutWithBothBodiesCcBccAndAttachment() throws Exception {
        String to = unique("buyer") + "@example.org";
        String cc = unique("accounts") + "@example.org";
        String bcc = unique("audit") + "@example.org";
        String emailId = send(Map.of("to", List.of(to), "cc", List.of(cc), "bcc", List.of(bcc),
                "subject", "Your receipt – №42", "bodyText", "Total: 12 €", "bodyHtml", "<p>Total: <b>12 €</b></p>",
                "from", "Shop <shop@mailroutes.local>",
                "attachments", List.of(Map.of("filename", "receipt.txt", "contentType", "text/plain",
                        "content", Base64.getEncoder().encodeToString("line 1\nline 2".getBytes(StandardCharsets.UTF_8))))));

        await().atMost(Duration.ofSeconds(20)).until(() -> SendFixture.SENT_OR_LATER.contains(ledger.find(emailId).orElseThrow().status()));
        assertThat(ledger.find(emailId).orElseThrow().sesMessageId()).isNotBlank();
        List<MimeMessage> mails = fixture.mailsTo(to);
        assertThat(mails).hasSize(1);
        MimeMessage mail = mails.get(0);
        assertThat(mail.getSubject()).isEqualTo("Your receipt – №42");
        assertThat(mail.getFrom()[0].toString()).contains("shop@mailroutes.local");
        assertThat(mail.getRecipients(Message.RecipientType.CC)[0].toString()).isEqualTo(cc);
        assertThat(mail.getHeader("Bcc")).isNull();
        assertThat(mail.getHeader("List-Unsubscribe")).as("transactional mail is not a list mail").isNull();
        MimeMultipart mixed = (MimeMultipart) mail.getContent();
        assertThat(mixed.getContentType()).startsWith("multipart/mixed");
        MimeMultipart alternative = (MimeMultipart) mixed.getBodyPart(0).getContent();
        assertThat(alternative.getBodyPart(0).getContent()).isEqualTo("Total: 12 €");
        assertThat(alternative.getBodyPart(1).getContent()).isEqualTo("<p>Total: <b>12 €</b></p>");
        BodyPart attachment = mixed.getBodyPart(1);
        assertThat(attachment.getFileName()).isEqualTo("receipt.txt");
        assertThat(attachment.getContent()).isEqualTo("line 1\nline 2");
    }

    @Test
    void aTemplatedRequestIsRenderedWithItsData() throws Exception {
        String to = unique("member") + "@example.org";
        String emailId = send(Map.of("to", List.of(to), "template", "send-greeting", "data", Map.of("name", "Zoë")));

        await().atMost(Duration.ofSeconds(20)).until(() -> SendFixture.SENT_OR_LATER.contains(ledger.find(emailId).orElseThrow().status()));
        MimeMessage mail = fixture.mailsTo(to).get(0);
        MimeMultipart alternative = (MimeMultipart) mail.getContent();
        assertThat((String) alternative.getBodyPart(0).getContent()).contains("Zoë");
    }

    @Test
    void withNoCampaignSendingABurstOfTransactionalMailUsesTheWholeRate() throws Exception {
        sendRate.setMaxRate(10);

        long[] accepted = acceptedMillis(post("burst", 40));

        // A lane capped at 20 % of 10/s (until 2026-11-26) needed at least 19.5 s for these 40; at the whole
        // rate they need 4 s, and a busy machine's SES calls stretch each one-second slot by their latency.
        assertThat(accepted[accepted.length - 1] - accepted[0]).as("first to last SES acceptance, ms").isLessThan(15_000);
        assertThat(mostInAnySecond(accepted)).as("never above the rate").isLessThanOrEqualTo(10);
    }

    @Test
    void whileATenThousandRecipientCampaignSendsAtTheRateTransactionalMailGoesFirstAndTheCampaignTakesTheRest() throws Exception {
        sendRate.setMaxRate(10);
        String campaignId = fixture.campaign(CampaignStatus.SENDING, 20);
        fixture.enqueue(campaignId, greeted(campaignId, 10_000), 500);
        try {
            await().atMost(Duration.ofSeconds(30)).until(() -> fixture.mailCount(campaignId) >= 20);

            long[] transactional = acceptedMillis(post("urgent", 30));
            long last = transactional[transactional.length - 1];
            await().atMost(Duration.ofSeconds(30)).until(() -> LongStream.of(fixture.campaignAcceptedMillis(campaignId))
                    .anyMatch(time -> time > last + 5_000));
            long[] campaign = fixture.campaignAcceptedMillis(campaignId);

            // Served before the campaign's recipients, however many wait: 30 within 11 s (3 at the whole rate),
            // where the lane's old 20 % share of 10/s needed 14.5 s.
            assertThat(last - transactional[0]).as("first to last transactional acceptance, ms").isLessThan(11_000);
            assertThat(count(campaign, last, last + 5_000)).as("campaign mails in the 5 s after the transactional burst")
                    .isGreaterThanOrEqualTo(20);
            assertThat(mostInAnySecond(LongStream.concat(LongStream.of(transactional), LongStream.of(campaign)).sorted().toArray()))
                    .as("both lanes together never above the rate").isLessThanOrEqualTo(10);
            assertThat(campaign.length).as("the campaign is still being throttled").isLessThan(1_000);
        } finally {
            campaigns.transition(campaignId, EnumSet.of(CampaignStatus.SENDING), CampaignStatus.CANCELLED);
        }
        SendFixture.Count count = fixture.countOf(campaignId);
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofSeconds(2)).until(count::stable);
    }

    @Test
    void aSuppressedCcOrBccIsLeftOutOfTheMailAndItsDestinationsAndShownInTheEmailsEvents() throws Exception {
        TopicTap sesEvents = TopicTap.on(aws.topics().sesEvents(), sns, sqs);
        String to = unique("buyer") + "@example.org";
        String cc = unique("accounts") + "@example.org";
        String ccGone = unique("left") + "@example.org";
        String bccGone = unique("complained") + "@example.org";
        suppressions.suppress(ccGone, SuppressionList.Reason.UNSUBSCRIBE, "test", null);
        suppressions.suppress(bccGone, SuppressionList.Reason.COMPLAINT, "test", null);

        String emailId = send(Map.of("to", List.of(to), "cc", List.of(cc, ccGone), "bcc", List.of(bccGone),
                "subject", "Your receipt", "bodyText", "Total: 12 €"));

        await().atMost(Duration.ofSeconds(20)).until(() -> SendFixture.SENT_OR_LATER.contains(ledger.find(emailId).orElseThrow().status()));
        MimeMessage mail = fixture.mailsTo(to).get(0);
        assertThat(mail.getRecipients(Message.RecipientType.CC)).extracting(Object::toString).containsExactly(cc);
        String sesMessageId = ledger.find(emailId).orElseThrow().sesMessageId();
        List<JsonNode> published = new ArrayList<>();
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            for (String body : sesEvents.receive()) {
                published.add(json.readTree(body));
            }
            assertThat(published).anySatisfy(event -> {
                assertThat(event.path("mail").path("messageId").asText()).isEqualTo(sesMessageId);
                assertThat(event.path("mail").path("destination")).extracting(JsonNode::asText).containsExactly(to, cc);
            });
        });

        JsonNode email = json.readTree(http.exchange("/api/v1/emails/" + emailId, HttpMethod.GET,
                ApiRequests.withKey(null), String.class).getBody());
        assertThat(email.path("events")).filteredOn(event -> event.path("type").asText().equals("Suppressed"))
                .extracting(event -> event.path("details").path("field").asText() + " " + event.path("details").path("address").asText())
                .containsExactlyInAnyOrder("cc " + ccGone, "bcc " + bccGone);
    }

    @Test
    void anAttachmentWhoseFilenameOrContentTypeCouldBendAHeaderIsRefusedNamingTheField() throws Exception {
        String content = Base64.getEncoder().encodeToString("x".getBytes(StandardCharsets.UTF_8));
        Map<String, String> badType = Map.of("filename", "a.txt", "contentType", "text/plain\r\nBcc: victim@example.org",
                "content", content);
        Map<String, String> badName = Map.of("filename", "a.txt\"; x=\"y", "contentType", "text/plain", "content", content);
        Map<String, String> lineInName = Map.of("filename", "a\r\nX-Injected: 1.txt", "content", content);
        String to = unique("buyer") + "@example.org";

        for (var bad : List.of(Map.entry(badType, "attachments[0].contentType"), Map.entry(badName, "attachments[1].filename"),
                Map.entry(lineInName, "attachments[1].filename"))) {
            Map<String, String> good = Map.of("filename", "fine.txt", "contentType", "text/plain; charset=utf-8", "content", content);
            List<Map<String, String>> attachments = bad.getKey() == badType ? List.of(bad.getKey(), good) : List.of(good, bad.getKey());
            ResponseEntity<String> response = http.exchange("/api/v1/emails", HttpMethod.POST, ApiRequests.withKey(
                    json.writeValueAsString(Map.of("to", List.of(to), "subject", "s", "bodyText", "b", "attachments", attachments))),
                    String.class);

            assertThat(response.getStatusCode().value()).as(response.getBody()).isEqualTo(400);
            assertThat(json.readTree(response.getBody()).path("details").path("field").asText()).isEqualTo(bad.getValue());
        }
        assertThat(messages.byRecipient(to, null, 10, null).items()).isEmpty();
    }

    @Test
    void aNonAsciiFilenameIsEncodedPerRfc2231() throws Exception {
        String to = unique("buyer") + "@example.org";
        String filename = "Rechnung März №7 (Kopie).pdf";
        String emailId = send(Map.of("to", List.of(to), "subject", "Invoice", "bodyText", "attached",
                "attachments", List.of(Map.of("filename", filename, "contentType", "application/pdf",
                        "content", Base64.getEncoder().encodeToString(new byte[] {'%', 'P', 'D', 'F'})))));

        await().atMost(Duration.ofSeconds(20)).until(() -> SendFixture.SENT_OR_LATER.contains(ledger.find(emailId).orElseThrow().status()));
        BodyPart attachment = ((MimeMultipart) fixture.mailsTo(to).get(0).getContent()).getBodyPart(1);
        assertThat(attachment.getHeader("Content-Disposition")[0])
                .contains("filename*=UTF-8''Rechnung%20M%C3%A4rz%20%E2%84%967%20%28Kopie%29.pdf").matches("\\p{ASCII}*");
        assertThat(attachment.getContentType()).startsWith("application/pdf").matches("\\p{ASCII}*");
        assertThat(attachment.getFileName()).isEqualTo(filename);
    }

    private String send(Map<String, Object> body) throws Exception {
        ResponseEntity<String> response = http.exchange("/api/v1/emails", HttpMethod.POST,
                ApiRequests.withKey(json.writeValueAsString(body)), String.class);
        assertThat(response.getStatusCode().value()).as(response.getBody()).isEqualTo(202);
        return json.readTree(response.getBody()).path("emailId").asText();
    }

    /** {@code count} transactional emails, posted eight at a time (one POST takes a few hundred ms on a busy machine); their ids. */
    private List<String> post(String name, int count) throws Exception {
        ExecutorService callers = Executors.newFixedThreadPool(8);
        try {
            List<Future<String>> posted = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                posted.add(callers.submit(() -> send(Map.of("to", List.of(unique(name) + "@example.org"),
                        "subject", "Your code", "bodyText", "123456"))));
            }
            List<String> emailIds = new ArrayList<>();
            for (Future<String> emailId : posted) {
                emailIds.add(emailId.get());
            }
            return emailIds;
        } finally {
            callers.shutdown();
        }
    }

    /** When SES accepted each email, once all are SENT (epoch milliseconds, earliest first). */
    private long[] acceptedMillis(List<String> emailIds) {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() -> emailIds.stream()
                .allMatch(id -> SendFixture.SENT_OR_LATER.contains(ledger.find(id).orElseThrow().status())));
        return emailIds.stream().mapToLong(id -> SendFixture.sesAcceptedMillis(ledger.find(id).orElseThrow().sesMessageId()))
                .sorted().toArray();
    }

    /** The most acceptances in any sliding one-second window. */
    private static int mostInAnySecond(long[] sorted) {
        int most = 0;
        for (int i = 0, j = 0; i < sorted.length; i++) {
            while (j < sorted.length && sorted[j] - sorted[i] < 1000) {
                j++;
            }
            most = Math.max(most, j - i);
        }
        return most;
    }

    private static long count(long[] times, long after, long until) {
        return LongStream.of(times).filter(time -> time > after && time <= until).count();
    }

    private static String unique(String name) {
        return name + "-" + UUID.randomUUID().toString().substring(0, 8);
    }
}
