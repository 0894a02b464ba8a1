package routes.launch;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import routes.MailroutesTest;
import routes.aws.AwsProperties;
import routes.intake.CampaignBucket;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/** A recurring campaign's firing becomes a fresh campaign through the ordinary intake. */
@MailroutesTest
class RecurringCampaignsTest {

    @Autowired
    S3Client s3;
    @Autowired
    AwsProperties aws;
    @Autowired
    RecurringCampaigns recurring;

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
}
