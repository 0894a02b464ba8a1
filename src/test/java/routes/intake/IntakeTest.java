package routes.intake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import routes.MailroutesTest;
import routes.aws.AwsProperties;
import routes.model.CampaignStatus;
import routes.store.Campaigns;
import software.amazon.awssdk.services.s3.S3Client;

/** Files of all three formats dropped in the inbox become campaigns with reports and archived files. */
@MailroutesTest
class IntakeTest {

    @Autowired
    S3Client s3;
    @Autowired
    AwsProperties aws;
    @Autowired
    Campaigns campaigns;

    CampaignBucket bucket;

    @BeforeEach
    void bucket() {
        bucket = new CampaignBucket(s3, aws);
    }

    @Test
    void aJsonCampaignBecomesAnAcceptedCampaign() {
        String name = CampaignBucket.unique("spring.json");
        String id = "spring-" + name.substring(0, 8);
        bucket.drop(name, CampaignBucket.fixtureText("campaign-valid.json").replace("CAMPAIGN_ID", id));

        JsonNode report = bucket.awaitReport(name);

        assertThat(report.path("outcome").asText()).isEqualTo("ACCEPTED");
        assertThat(report.path("campaignId").asText()).isEqualTo(id);
        assertThat(report.path("counts").path("valid").asLong()).isEqualTo(3);
        assertThat(campaigns.status(id)).contains(CampaignStatus.ACCEPTED);
        assertThat(bucket.exists("accepted/" + id + "/" + name)).isTrue();
        assertThat(bucket.exists("inbox/" + name)).isFalse();
    }

    @Test
    void aCsvWithItsManifestBecomesAScheduledCampaign() {
        String base = CampaignBucket.unique("autumn");
        String id = "autumn-" + base.substring(0, 8);
        bucket.drop(base + ".csv", CampaignBucket.fixture("recipients-valid.csv"));
        bucket.drop(base + ".manifest.json", CampaignBucket.fixtureText("manifest-scheduled.json").replace("CAMPAIGN_ID", id));

        JsonNode report = bucket.awaitReport(base + ".manifest.json");

        assertThat(report.path("outcome").asText()).isEqualTo("SCHEDULED");
        assertThat(report.path("counts").path("valid").asLong()).isEqualTo(3);
        assertThat(campaigns.status(id)).contains(CampaignStatus.SCHEDULED);
        assertThat(bucket.exists("accepted/" + id + "/" + base + ".csv")).isTrue();
        assertThat(bucket.exists("inbox/" + base + ".csv")).isFalse();
    }

    @Test
    void aJsonlFileTakesItsCampaignIdFromTheTag() {
        String name = CampaignBucket.unique("news.jsonl");
        String id = "news-" + name.substring(0, 8);
        bucket.drop(name, CampaignBucket.fixtureText("sendemail-valid.jsonl").replace("CAMPAIGN_ID", id));

        JsonNode report = bucket.awaitReport(name);

        assertThat(report.path("outcome").asText()).isEqualTo("ACCEPTED");
        assertThat(report.path("campaignId").asText()).isEqualTo(id);
        assertThat(report.path("counts").path("valid").asLong()).isEqualTo(3);
        // Registered; being due at once, the launcher may already have taken it on.
        assertThat(campaigns.status(id)).get().isIn(CampaignStatus.ACCEPTED, CampaignStatus.LAUNCHING,
                CampaignStatus.SENDING, CampaignStatus.SENT);
    }

    @Test
    void theSameFileDroppedAgainIsADuplicate() {
        String name = CampaignBucket.unique("again.json");
        String id = "again-" + name.substring(0, 8);
        String content = CampaignBucket.fixtureText("campaign-valid.json").replace("CAMPAIGN_ID", id);
        bucket.drop(name, content);
        assertThat(bucket.awaitReport(name).path("outcome").asText()).isEqualTo("ACCEPTED");
        s3.deleteObject(b -> b.bucket(aws.bucket()).key("reports/" + name + ".report.json"));

        bucket.drop(name, content);

        JsonNode report = bucket.awaitReport(name);
        assertThat(report.path("outcome").asText()).isEqualTo("DUPLICATE");
        assertThat(bucket.exists("rejected/" + name)).isTrue();
        assertThat(bucket.exists("accepted/" + id + "/" + name + ".report.json")).isTrue();
    }

    @Test
    void aCallbackUrlThatWouldSetAnHttpOptionRejectsTheFileNamingTheField() {
        String name = CampaignBucket.unique("hooked.json");
        String id = "hooked-" + name.substring(0, 8);
        bucket.drop(name, CampaignBucket.fixtureText("campaign-valid.json").replace("CAMPAIGN_ID", id).replace(
                "\"template\": \"welcome\",", "\"template\": \"welcome\", \"callbackUrl\": \"https://hooks.example.org/in?proxyHost=10.0.0.1&proxyPort=80\","));

        JsonNode report = bucket.awaitReport(name);

        assertThat(report.path("outcome").asText()).isEqualTo("REJECTED");
        assertThat(reasons(report)).contains("0|callbackUrl|query parameter 'proxyHost' is an option name of the HTTP client; rename it");
        assertThat(campaigns.exists(id)).isFalse();
    }

    static List<String> reasons(JsonNode report) {
        List<String> reasons = new ArrayList<>();
        report.path("problems").forEach(p -> reasons.add(p.path("line").asLong() + "|" + p.path("field").asText()
                + "|" + p.path("reason").asText()));
        return reasons;
    }

    static void awaitGone(CampaignBucket bucket, String key) {
        await().atMost(Duration.ofSeconds(30)).until(() -> !bucket.exists(key));
    }
}
