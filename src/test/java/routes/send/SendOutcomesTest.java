package routes.send;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static routes.send.SendFixture.greeted;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import routes.MailroutesTest;
import routes.aws.AwsProperties;
import routes.localaws.LocalAws;
import routes.localaws.TopicTap;
import routes.model.CampaignStatus;
import routes.model.MessageIds;
import routes.model.MessageStatus;
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

    SendFixture fixture;

    @BeforeEach
    void fixture() {
        fixture = new SendFixture(dynamo, sqs, aws, json);
    }

    @AfterEach
    void resetLimits() {
        LocalAws.get().ses().reset();
        sendRate.reset();
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
}
