package routes.send;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static routes.send.SendFixture.greeted;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.client.TestRestTemplate;
import routes.MailroutesTest;
import routes.api.ApiRequests;
import routes.aws.AwsProperties;
import routes.feedback.SuppressionPolicy;
import routes.localaws.LocalAws;
import routes.localaws.TopicTap;
import routes.model.CampaignStatus;
import routes.model.MessageIds;
import routes.model.MessageStatus;
import routes.model.SendChunk;
import routes.model.SendChunk.Recipient;
import routes.store.Campaigns;
import routes.store.Ledger;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/** After the claim every outcome is recorded; a used-up daily quota makes recipients wait, not fail. */
@MailroutesTest
class SendOutcomesTest {

    private static final Duration SENDING = Duration.ofSeconds(40);

    @Autowired DynamoDbClient dynamo;
    @Autowired SqsClient sqs;
    @Autowired SnsClient sns;
    @Autowired AwsProperties aws;
    @Autowired ObjectMapper json;
    @Autowired Ledger ledger;
    @Autowired Campaigns campaigns;
    @Autowired SendRate sendRate;
    @Autowired SuppressionPolicy suppressionPolicy;
    @Autowired TestRestTemplate http;

    SendFixture fixture;

    @BeforeEach
    void fixture() {
        fixture = new SendFixture(dynamo, sqs, aws, json);
    }

    @AfterEach
    void resetLimits() {
        LocalAws.get().ses().reset();
        sendRate.reset();
        suppressionPolicy.setRetryDelay(Duration.ofMinutes(15));
    }

    @Test
    void aSenderTheMimeLayerRefusesFailsThatRecipientInsteadOfLeavingItSending() {
        String campaignId = fixture.campaign(CampaignStatus.SENDING, 1);
        String run = UUID.randomUUID().toString().substring(0, 8);
        String doeAddress = "doe-" + run + "@example.org";
        Recipient doe = new Recipient(MessageIds.forCampaign(campaignId, doeAddress), doeAddress, "send-greeting",
                "Doe, Jane <team@example.org>", null, "segment-a", Map.of("name", "Jane"));
        Recipient ann = SendFixture.recipient(campaignId, "ann-" + run + "@example.org", "send-greeting", Map.of("name", "Ann"));

        fixture.enqueue(campaignId, List.of(doe, ann), 500);

        await().atMost(SENDING).until(() -> campaigns.status(campaignId).orElseThrow() == CampaignStatus.SENT);
        Ledger.Entry failed = ledger.find(doe.messageId()).orElseThrow();
        assertThat(failed.status()).isEqualTo(MessageStatus.FAILED);
        assertThat(failed.lastError()).contains("AddressException");
        assertThat(fixture.mailsOf(campaignId).keySet()).containsExactly(ann.email());
    }

    @Test
    void aUsedUpDailyQuotaLetsTheCampaignWaitWithoutFailingAnyoneAndAlertsOnce() throws Exception {
        TopicTap alerts = TopicTap.on(aws.topics().alerts(), sns, sqs);
        LocalAws.get().ses().setMax24HourSend(0);
        String campaignId = fixture.campaign(CampaignStatus.SENDING, 1);
        List<Recipient> recipients = greeted(campaignId, 5);
        fixture.enqueue(campaignId, recipients, 500);

        await().atMost(SENDING).untilAsserted(() -> assertThat(alerts.receive()).anySatisfy(body -> {
            JsonNode alert = json.readTree(body);
            assertThat(alert.path("type").asText()).isEqualTo("ses.daily-quota-exceeded");
        }));
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).until(() -> recipients.stream()
                .map(r -> ledger.find(r.messageId()).map(Ledger.Entry::status).orElse(MessageStatus.QUEUED))
                .allMatch(status -> status == MessageStatus.QUEUED));
        assertThat(campaigns.status(campaignId)).contains(CampaignStatus.SENDING);
        assertThat(fixture.mailCount(campaignId)).isZero();

        LocalAws.get().ses().setMax24HourSend(50_000);
        sendRate.reset();
        await().atMost(SENDING).until(() -> campaigns.status(campaignId).orElseThrow() == CampaignStatus.SENT);
        assertThat(fixture.mailsOf(campaignId)).hasSize(5).allSatisfy((to, mails) -> assertThat(mails).hasSize(1));
    }

    @Test
    void aSoftBounceRetryOfACampaignMailComesFromTheSameSenderWithTheSameReplyTo() throws Exception {
        suppressionPolicy.setRetryDelay(Duration.ofSeconds(1));
        String campaignId = fixture.campaign(CampaignStatus.SENDING, 1);
        String away = "mailboxfull+" + UUID.randomUUID().toString().substring(0, 8) + "@simulator.amazonses.com";
        Recipient recipient = SendFixture.recipient(campaignId, away, "send-greeting", Map.of("name", "Olli"));
        fixture.enqueue(aws.queues().send(), new SendChunk(campaignId, 0, "Spring Sale <sale@mailroutes.local>",
                "help@mailroutes.local", null, Map.of(), List.of(recipient)));

        await().atMost(SENDING).until(() -> fixture.mailsTo(away).size() == 2);
        assertThat(fixture.mailsTo(away)).allSatisfy(mail -> {
            assertThat(mail.getFrom()[0].toString()).isEqualTo("Spring Sale <sale@mailroutes.local>");
            assertThat(mail.getReplyTo()[0].toString()).isEqualTo("help@mailroutes.local");
        });
    }

    @Test
    void aSoftBounceRetryOfATransactionalMailGoesOnlyToTheAddressThatBounced() throws Exception {
        suppressionPolicy.setRetryDelay(Duration.ofSeconds(1));
        TopicTap sesEvents = TopicTap.on(aws.topics().sesEvents(), sns, sqs);
        String away = "mailboxfull+" + UUID.randomUUID().toString().substring(0, 8) + "@simulator.amazonses.com";
        String cc = "accounts-" + UUID.randomUUID().toString().substring(0, 8) + "@example.org";
        String body = json.writeValueAsString(Map.of("to", List.of(away), "cc", List.of(cc), "subject", "Receipt",
                "bodyText", "Total: 12", "from", "Shop <shop@mailroutes.local>", "replyTo", "help@mailroutes.local"));
        String emailId = json.readTree(http.postForObject("/api/v1/emails", ApiRequests.withKey(body), String.class))
                .path("emailId").asText();

        await().atMost(SENDING).until(() -> fixture.mailsTo(away).size() == 2);
        assertThat(fixture.mailsTo(away)).allSatisfy(mail -> {
            assertThat(mail.getFrom()[0].toString()).isEqualTo("Shop <shop@mailroutes.local>");
            assertThat(mail.getReplyTo()[0].toString()).isEqualTo("help@mailroutes.local");
        });
        List<List<String>> sends = new ArrayList<>();
        await().atMost(SENDING).untilAsserted(() -> {
            for (String published : sesEvents.receive()) {
                JsonNode event = json.readTree(published);
                if (event.path("eventType").asText().equals("Send")
                        && event.path("mail").path("tags").path("messageId").path(0).asText().equals(emailId)) {
                    List<String> destinations = new ArrayList<>();
                    event.path("mail").path("destination").forEach(d -> destinations.add(d.asText()));
                    sends.add(destinations);
                }
            }
            assertThat(sends).containsExactlyInAnyOrder(List.of(away, cc), List.of(away));
        });
    }
}
