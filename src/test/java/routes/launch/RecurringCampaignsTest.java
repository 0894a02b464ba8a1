package routes.launch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import routes.MailroutesTest;
import routes.aws.AwsProperties;
import routes.intake.CampaignBucket;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/** A recurring campaign's firing becomes a fresh campaign through the ordinary intake. */
@MailroutesTest
class RecurringCampaignsTest {

    @Autowired
    S3Client s3;
    @Autowired
    AwsProperties aws;
    @Autowired
    RecurringCampaigns recurring;
    @Autowired
    LaunchProperties launch;
    @Autowired
    CamelContext camel;

    @Test
    void eachFiringDropsTheListWithAManifestAndBecomesACampaign() {
        String name = "weekly-" + CampaignBucket.unique("x").substring(0, 8);
        String list = "lists/" + name + ".csv";
        s3.putObject(b -> b.bucket(aws.bucket()).key(list), RequestBody.fromString(LaunchTest.csv(3)));

        String campaignId = recurring.fire(new LaunchProperties.Recurring(name, "0 0 8 ? * MON", list, "welcome",
                Map.of(), "News <news@example.com>", null));

        JsonNode report = new CampaignBucket(s3, aws).awaitReport(campaignId + ".manifest.json");
        assertThat(report.path("outcome").asText()).isEqualTo("ACCEPTED");
        assertThat(report.path("campaignId").asText()).isEqualTo(campaignId).startsWith(name + "-");
        assertThat(report.path("counts").path("valid").asLong()).isEqualTo(3);
        assertThat(new CampaignBucket(s3, aws).exists(list)).isTrue();
    }

    @Test
    void aConfiguredEntryGetsItsOwnQuartzRoute() throws Exception {
        String name = "daily-" + CampaignBucket.unique("x").substring(0, 8);
        String list = "lists/" + name + ".csv";
        s3.putObject(b -> b.bucket(aws.bucket()).key(list), RequestBody.fromString(LaunchTest.csv(2)));
        LaunchProperties configured = new LaunchProperties(launch.cron(), launch.maxChunkRecipients(),
                launch.maxChunkBytes(), launch.maxBatchBytes(), launch.staleAfter(),
                List.of(new LaunchProperties.Recurring(name, "0/2 * * * * ?", list, "welcome", Map.of(), null, null)));

        camel.addRoutes(new RecurringCampaignRoutes(configured, recurring));
        try {
            await().atMost(Duration.ofSeconds(30)).until(() -> !reports(name).isEmpty());
        } finally {
            camel.getRouteController().stopRoute("recurring-" + name);
            camel.removeRoute("recurring-" + name);
        }

        JsonNode report = new CampaignBucket(s3, aws).json(reports(name).get(0).key());
        assertThat(report.path("campaignId").asText()).startsWith(name + "-");
    }

    private List<S3Object> reports(String name) {
        return s3.listObjectsV2(b -> b.bucket(aws.bucket()).prefix("reports/" + name + "-")).contents();
    }
}
