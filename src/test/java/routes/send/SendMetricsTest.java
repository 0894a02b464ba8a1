package routes.send;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;
import static routes.send.SendFixture.recipient;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.boot.test.web.server.LocalManagementPort;
import routes.MailroutesTest;
import routes.aws.AwsProperties;
import routes.localaws.LocalAws;
import routes.model.CampaignStatus;
import routes.model.SendChunk.Recipient;
import routes.ops.Scrape;
import routes.store.Campaigns;
import routes.store.SuppressionList;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/** What an operator's Prometheus sees of a small campaign: the counters move by what happened to its recipients. */
@MailroutesTest
class SendMetricsTest {

    private static final Duration SENDING = Duration.ofSeconds(40);

    @Autowired TestRestTemplate http;
    @LocalManagementPort int managementPort;
    @Autowired DynamoDbClient dynamo;
    @Autowired SqsClient sqs;
    @Autowired AwsProperties aws;
    @Autowired ObjectMapper json;
    @Autowired Campaigns campaigns;
    @Autowired SuppressionList suppressions;
    @Autowired SendRate sendRate;
    @Autowired SendProperties sendProperties;

    @Test
    void aSmallCampaignMovesTheEmailSesSuppressionAndRouteCountersByWhatHappened() {
        SendFixture fixture = new SendFixture(dynamo, sqs, aws, json);
        String campaignId = fixture.campaign(CampaignStatus.SENDING, 1);
        String run = UUID.randomUUID().toString().substring(0, 8);
        Recipient ann = recipient(campaignId, "ann-" + run + "@example.org", "send-greeting", Map.of("name", "Ann"));
        Recipient bob = recipient(campaignId, "bob-" + run + "@example.org", "send-greeting", Map.of("name", "Bob"));
        Recipient nameless = recipient(campaignId, "nameless-" + run + "@example.org", "send-greeting", Map.of());
        Recipient gone = recipient(campaignId, "gone-" + run + "@example.org", "send-greeting", Map.of("name", "Gone"));
        Scrape before = Scrape.of(http, managementPort);

        suppressions.suppress(gone.email(), SuppressionList.Reason.UNSUBSCRIBE, "metrics test", null);
        fixture.enqueue(campaignId, List.of(ann, bob, nameless, gone), 500);
        await().atMost(SENDING).until(() -> campaigns.status(campaignId).orElseThrow() == CampaignStatus.SENT);

        await().atMost(SENDING).untilAsserted(() -> {
            Scrape after = Scrape.of(http, managementPort);
            assertThat(moved(before, after, "mailroutes_emails_total", Map.of("lane", "campaign", "outcome", "sent"))).isEqualTo(2);
            assertThat(moved(before, after, "mailroutes_emails_total", Map.of("lane", "campaign", "outcome", "failed"))).isEqualTo(1);
            assertThat(moved(before, after, "mailroutes_emails_total", Map.of("lane", "campaign", "outcome", "suppressed"))).isEqualTo(1);
            assertThat(moved(before, after, "mailroutes_ses_calls_seconds_count", Map.of("operation", "SendRawEmail", "outcome", "ok"))).isEqualTo(2);
            assertThat(moved(before, after, "mailroutes_suppressions_added_total", Map.of("reason", "unsubscribe"))).isEqualTo(1);
            // camel-micrometer's route policy: one exchange per recipient that passed the campaign gate (the suppressed one did not).
            assertThat(moved(before, after, "camel_exchanges_total", Map.of("routeId", "send-recipient"))).isEqualTo(3);
            assertThat(moved(before, after, "camel_exchanges_total", Map.of("routeId", "send-chunk"))).isEqualTo(1);
            // The SES emulator publishes a Send event per accepted mail; the feedback flow reads them.
            assertThat(moved(before, after, "mailroutes_feedback_events_total", Map.of("type", "Send"))).isGreaterThanOrEqualTo(2);
            assertThat(after.value("mailroutes_send_rate_limit", Map.of())).isPositive();
            // The tests leave use-ses-quota off: the limit is max-per-24h alone.
            assertThat(moved(before, after, "mailroutes_send_quota_used_ratio", Map.of()))
                    .isCloseTo(2.0 / sendProperties.maxPer24h(), within(1e-9));
            // The tests' own HTTP client records its calls (http_client_requests, URLs with addresses) in the same
            // registry; every other series is the application's.
            String application = after.text().lines().filter(line -> !line.contains("http_client_requests"))
                    .collect(Collectors.joining("\n"));
            assertThat(application).doesNotContain(campaignId).doesNotContain("@example.org");
        });
    }

    @Test
    void everySesThrottlingAnswerIsCountedAsAThrottledRefusalAndEveryRecipientStillAsSentOnce() {
        LocalAws.get().ses().setMaxSendRate(5);
        sendRate.setMaxRate(50);
        SendFixture fixture = new SendFixture(dynamo, sqs, aws, json);
        String campaignId = fixture.campaign(CampaignStatus.SENDING, 2);
        Scrape before = Scrape.of(http, managementPort);

        fixture.enqueue(campaignId, SendFixture.greeted(campaignId, 20), 10);
        await().atMost(Duration.ofSeconds(60)).until(() -> campaigns.status(campaignId).orElseThrow() == CampaignStatus.SENT);

        await().atMost(SENDING).untilAsserted(() -> {
            Scrape after = Scrape.of(http, managementPort);
            double throttled = moved(before, after, "mailroutes_emails_total", Map.of("lane", "campaign", "outcome", "throttled"));
            assertThat(throttled).isPositive();
            assertThat(moved(before, after, "mailroutes_ses_calls_seconds_count", Map.of("operation", "SendRawEmail", "outcome", "throttled")))
                    .isEqualTo(throttled);
            assertThat(moved(before, after, "mailroutes_emails_total", Map.of("lane", "campaign", "outcome", "sent"))).isEqualTo(20);
        });
    }

    @AfterEach
    void resetRates() {
        LocalAws.get().ses().reset();
        sendRate.reset();
    }

    private static double moved(Scrape before, Scrape after, String name, Map<String, String> labels) {
        return after.value(name, labels) - before.value(name, labels);
    }
}
