package routes.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.http.HttpEntity;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import routes.MailroutesTest;
import routes.aws.AwsProperties;
import routes.localaws.TopicTap;
import routes.model.MessageIds;
import routes.model.MessageStatus;
import routes.model.UnsubscribeToken;
import routes.store.Ledger;
import routes.store.SuppressionList;
import routes.webhooks.WebhookPeer;
import routes.webhooks.WebhookProperties.Subscriber;
import routes.webhooks.WebhookSubscribers;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/** The unsubscribe link of a campaign mail, clicked by the recipient or posted by the mailbox provider (RFC 8058). */
@MailroutesTest
class UnsubscribeTest {

    static final WebhookPeer SUBSCRIBER = new WebhookPeer();

    @Autowired TestRestTemplate http;
    @Autowired UnsubscribeToken tokens;
    @Autowired Ledger ledger;
    @Autowired SuppressionList suppressions;
    @Autowired WebhookSubscribers subscribers;
    @Autowired ObjectMapper json;
    @Autowired AwsProperties aws;
    @Autowired SnsClient sns;
    @Autowired SqsClient sqs;

    @AfterAll
    static void stop() {
        SUBSCRIBER.close();
    }

    @Test
    void oneClickUnsubscribeSuppressesMarksTheMessageAndEmitsOneEvent() throws Exception {
        String campaign = "news-" + UUID.randomUUID().toString().substring(0, 8);
        String address = "erin-" + campaign + "@example.org";
        String messageId = sentCampaignMail(campaign, address);
        String url = SUBSCRIBER.script("/" + campaign, 200);
        subscribers.register(new Subscriber(campaign, url, List.of("s"), List.of("message.unsubscribed"), List.of(campaign), true));
        String token = tokens.sign(messageId);

        ResponseEntity<String> page = http.getForEntity("/u/" + token, String.class);
        assertThat(page.getStatusCode().value()).isEqualTo(200);
        assertThat(page.getBody()).contains(address).contains("<form method=\"post\"");

        assertThat(oneClick(token).getStatusCode().value()).isEqualTo(200);
        assertThat(suppressions.find(address)).get().extracting(SuppressionList.Suppression::reason)
                .isEqualTo(SuppressionList.Reason.UNSUBSCRIBE);
        assertThat(ledger.find(messageId).orElseThrow().status()).isEqualTo(MessageStatus.UNSUBSCRIBED);
        await().atMost(Duration.ofSeconds(20)).until(() -> SUBSCRIBER.received("/" + campaign).size() == 1);
        JsonNode event = json.readTree(SUBSCRIBER.received("/" + campaign).get(0).body());
        assertThat(event.path("type").asText()).isEqualTo("message.unsubscribed");
        assertThat(event.path("messageId").asText()).isEqualTo(messageId);

        assertThat(oneClick(token).getStatusCode().value()).isEqualTo(200);
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).until(() -> SUBSCRIBER.received("/" + campaign).size() == 1);
    }

    @Test
    void anUnsubscribeIsPublishedOnTheStatusTopicLikeEveryStatusChange() {
        TopicTap statuses = TopicTap.on(aws.topics().status(), sns, sqs);
        String campaign = "topic-" + UUID.randomUUID().toString().substring(0, 8);
        String messageId = sentCampaignMail(campaign, "fay-" + campaign + "@example.org");

        assertThat(oneClick(tokens.sign(messageId)).getStatusCode().value()).isEqualTo(200);

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(statuses.receive()).anySatisfy(body -> {
            JsonNode event = json.readTree(body);
            assertThat(event.path("type").asText()).isEqualTo("message.unsubscribed");
            assertThat(event.path("messageId").asText()).isEqualTo(messageId);
            assertThat(event.path("campaignId").asText()).isEqualTo(campaign);
        }));
    }

    @Test
    void aForgedTokenIs404AndChangesNothing() {
        String campaign = "forged-" + UUID.randomUUID().toString().substring(0, 8);
        String address = "frank-" + campaign + "@example.org";
        String messageId = sentCampaignMail(campaign, address);
        String genuine = tokens.sign(messageId);
        String altered = genuine.substring(0, genuine.length() - 2) + (genuine.endsWith("AA") ? "BB" : "AA");

        assertThat(oneClick(altered).getStatusCode().value()).isEqualTo(404);
        assertThat(http.getForEntity("/u/" + altered, String.class).getStatusCode().value()).isEqualTo(404);
        assertThat(oneClick("not-a-token").getStatusCode().value()).isEqualTo(404);
        assertThat(suppressions.find(address)).isEmpty();
        assertThat(ledger.find(messageId).orElseThrow().status()).isEqualTo(MessageStatus.QUEUED);
    }

    private String sentCampaignMail(String campaign, String address) {
        String messageId = MessageIds.forCampaign(campaign, address);
        ledger.queue(messageId, address, Map.of("campaignId", AttributeValue.fromS(campaign)));
        return messageId;
    }

    private ResponseEntity<String> oneClick(String token) {
        HttpHeaders headers = new HttpHeaders();
        headers.setContentType(MediaType.APPLICATION_FORM_URLENCODED);
        return http.exchange("/u/" + token, HttpMethod.POST, new HttpEntity<>("List-Unsubscribe=One-Click", headers), String.class);
    }
}
