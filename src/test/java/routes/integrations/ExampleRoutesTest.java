package routes.integrations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.client.TestRestTemplate;
import routes.MailroutesTest;
import routes.api.ApiRequests;
import routes.aws.AwsProperties;
import routes.intake.CampaignBucket;
import routes.send.SendFixture;
import routes.store.Campaigns;
import routes.store.SuppressionList;
import routes.webhooks.WebhookPeer;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Each file of examples/routes/, as a team would copy it into the routes directory of the running
 * application, against the embedded AWS. The settings a team would give (receiver URL, domain, cron) are
 * system properties, which Camel's placeholders read; each example's file is deleted again afterwards.
 */
@MailroutesTest
class ExampleRoutesTest {

    private static final Path EXAMPLES = Path.of("examples/routes");

    @Autowired IntegrationRouteFiles routeFiles;
    @Autowired CamelContext camel;
    @Autowired TestRestTemplate http;
    @Autowired ObjectMapper json;
    @Autowired SuppressionList suppressions;
    @Autowired Campaigns campaigns;
    @Autowired S3Client s3;
    @Autowired SqsClient sqs;
    @Autowired DynamoDbClient dynamo;
    @Autowired AwsProperties aws;

    private Path installed;
    private String installedRoute;

    @AfterEach
    void uninstall() throws IOException {
        if (installed != null) {
            Files.delete(installed);
            String id = installedRoute;
            await().atMost(Duration.ofSeconds(20)).until(() -> camel.getRoute(id) == null);
        }
    }

    @Test
    void statusToHttpPostsBouncesButNotDeliveriesToTheCrm() throws Exception {
        try (WebhookPeer crm = new WebhookPeer()) {
            System.setProperty("crm.status-url", crm.script("/crm/status", 200));
            install("status-to-http.yaml", "crm-status");
            // Saved again, as an edit would: the new version takes over the queue from the old one.
            Route first = camel.getRoute("crm-status");
            install("status-to-http.yaml", "crm-status");
            await().atMost(Duration.ofSeconds(20)).until(() -> camel.getRoute("crm-status") != first
                    && camel.getRoute("crm-status") != null && camel.getRouteController().getRouteStatus("crm-status").isStarted());
            String bounced = "bounce+" + unique() + "@simulator.amazonses.com";
            String delivered = "success+" + unique() + "@simulator.amazonses.com";
            send(delivered);
            send(bounced);

            await().atMost(Duration.ofSeconds(30)).until(() -> crm.received("/crm/status").stream()
                    .anyMatch(r -> r.body().contains(bounced)));
            JsonNode event = json.readTree(crm.received("/crm/status").stream()
                    .filter(r -> r.body().contains(bounced)).findFirst().orElseThrow().body());
            assertThat(event.path("type").asText()).isEqualTo("message.bounced");
            assertThat(event.path("recipient").asText()).isEqualTo(bounced);
            assertThat(crm.received("/crm/status")).noneMatch(r -> r.body().contains(delivered));
        }
    }

    @Test
    void bouncesSuppressTheAddressesOfTheClosingDomain() throws Exception {
        System.setProperty("suppress.domain", "simulator.amazonses.com");
        install("bounces-suppress-domain.yaml", "closing-domain-suppression");
        String bounced = "bounce+" + unique() + "@simulator.amazonses.com";
        send(bounced);

        await().atMost(Duration.ofSeconds(30)).until(() -> suppressions.find(bounced).isPresent());
        SuppressionList.Suppression entry = suppressions.find(bounced).orElseThrow();
        assertThat(entry.reason()).isEqualTo(SuppressionList.Reason.MANUAL);
        assertThat(entry.detail()).isEqualTo("domain simulator.amazonses.com is closing");
    }

    @Test
    void theDigestGoesOutOncePerDayHoweverOftenItFires() throws Exception {
        String to = "success+" + unique() + "@simulator.amazonses.com";
        System.setProperty("digest.to", to);
        System.setProperty("digest.cron", "* * * * * ?");
        install("digest-to-email.yaml", "ops-digest");
        SendFixture outbox = new SendFixture(dynamo, sqs, aws, json);

        await().atMost(Duration.ofSeconds(30)).until(() -> outbox.mailsTo(to).size() == 1);
        assertThat(outbox.mailsTo(to).get(0).getSubject()).startsWith("mailroutes digest ");
        // It fires every second: five more firings, and still the one mail.
        await().during(Duration.ofSeconds(5)).atMost(Duration.ofSeconds(8)).until(() -> outbox.mailsTo(to).size() == 1);
    }

    @Test
    void aPartnerFileBecomesACampaignAndItsReportIsWrittenBack() throws Exception {
        Path drop = Files.createDirectories(Path.of("target/test-partner-drop", unique()));
        System.setProperty("campaigns.drop-dir", drop.toAbsolutePath().toString());
        install("file-to-campaign.yaml", "partner-campaigns");
        String id = "partner-" + unique();
        Path file = Files.writeString(drop.resolve(".spring.json.tmp"),
                CampaignBucket.fixtureText("campaign-valid.json").replace("CAMPAIGN_ID", id));
        Files.move(file, drop.resolve("spring.json"), StandardCopyOption.ATOMIC_MOVE);

        Path report = drop.resolve("reports/spring.json.report.json");
        await().atMost(Duration.ofSeconds(60)).until(() -> Files.exists(report) && Files.size(report) > 0);
        JsonNode written = json.readTree(report.toFile());
        assertThat(written.path("campaignId").asText()).isEqualTo(id);
        assertThat(written.path("outcome").asText()).isIn("ACCEPTED", "SCHEDULED");
        assertThat(campaigns.exists(id)).isTrue();
        await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(drop.resolve("done/spring.json")));
    }

    @Test
    void theWeeklyScheduleMakesOneCampaignPerFireDateFromTheStoredDefinition() throws Exception {
        s3.putObject(b -> b.bucket(aws.bucket()).key("schedules/weekly-news.json"),
                RequestBody.fromString(CampaignBucket.fixtureText("campaign-valid.json").replace("CAMPAIGN_ID", "from-the-file")));
        System.setProperty("weekly-news.cron", "0/2 * * * * ?");
        String id = "weekly-news-" + LocalDate.now(ZoneId.of("Europe/Berlin")).format(DateTimeFormatter.BASIC_ISO_DATE);
        install("weekly-campaign.yaml", "weekly-news");

        await().atMost(Duration.ofSeconds(60)).until(() -> campaigns.exists(id));
        assertThat(campaigns.exists("from-the-file")).isFalse();
    }

    /** The example file, copied into the watched directory as a team would; returns once its route runs. */
    private void install(String example, String routeId) throws IOException {
        Path dir = routeFiles.directory().orElseThrow();
        Path temp = Files.copy(EXAMPLES.resolve(example), dir.resolve("." + example + ".tmp"), StandardCopyOption.REPLACE_EXISTING);
        installed = Files.move(temp, dir.resolve(example), StandardCopyOption.ATOMIC_MOVE);
        installedRoute = routeId;
        await().atMost(Duration.ofSeconds(20)).until(() -> camel.getRoute(routeId) != null
                && camel.getRouteController().getRouteStatus(routeId).isStarted());
    }

    private void send(String to) throws Exception {
        String body = json.writeValueAsString(Map.of("to", List.of(to), "subject", "Order shipped", "bodyText", "On its way."));
        assertThat(http.postForEntity("/api/v1/emails", ApiRequests.withKey(body), String.class).getStatusCode().value()).isEqualTo(202);
    }

    private static String unique() {
        return UUID.randomUUID().toString().substring(0, 8);
    }
}
