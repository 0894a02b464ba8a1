package routes.send;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.camel.ProducerTemplate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.http.HttpMethod;
import org.springframework.http.ResponseEntity;
import routes.MailroutesTest;
import routes.api.ApiRequests;
import routes.aws.AwsProperties;
import routes.intake.CampaignBucket;
import routes.model.CampaignStatus;
import routes.model.MessageIds;
import routes.model.MessageStatus;
import routes.store.Campaigns;
import routes.store.Ledger;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;

/** {@code POST /api/v1/campaigns/{id}/resend}: from the dropped file to the outbox, twice. */
@MailroutesTest
class CampaignResendTest {

    private static final Duration SENDING = Duration.ofSeconds(60);

    @Autowired TestRestTemplate http;
    @Autowired S3Client s3;
    @Autowired SqsClient sqs;
    @Autowired DynamoDbClient dynamo;
    @Autowired AwsProperties aws;
    @Autowired ObjectMapper json;
    @Autowired Ledger ledger;
    @Autowired Campaigns campaigns;
    @Autowired SendRate sendRate;
    @Autowired ProducerTemplate producer;

    @AfterEach
    void resetRate() {
        sendRate.reset();
    }

    @Test
    void aResendReachesTheFailedAndTheNeverSubmittedAndNobodyTwice() throws Exception {
        SendFixture fixture = new SendFixture(dynamo, sqs, aws, json);
        String run = UUID.randomUUID().toString().substring(0, 8);
        String id = "resend-" + run;
        // Rex's mail fails to render (the locked-down Velocity refuses #include): FAILED, with no SES event after it.
        String template = "resend-" + run;
        SendFixture.putTemplate(s3, aws, template, Map.of("template.json", "{\"requiredVariables\": [\"firstName\"]}",
                "subject.vm", "Hello $firstName", "body.txt.vm", "Hi $firstName",
                "body.html.vm", "#if($firstName == 'Rex')#include('/etc/passwd')#end<p>Hi $firstName</p>"));
        String failing = "rex-" + run + "@example.org";
        List<String> people = new ArrayList<>();
        StringBuilder csv = new StringBuilder("email,firstName\n").append(failing).append(",Rex\n");
        for (int i = 0; i < 12; i++) {
            people.add("p" + i + "-" + run + "@example.org");
            csv.append(people.get(i)).append(",P").append(i).append('\n');
        }
        CampaignBucket bucket = new CampaignBucket(s3, aws);
        bucket.drop(id + ".csv", csv.toString());
        bucket.drop(id + ".manifest.json", "{\"campaignId\":\"" + id + "\",\"template\":\"" + template + "\"}");
        bucket.awaitReport(id + ".manifest.json");

        assertThat(post("/api/v1/campaigns/" + id + "/resend", null).getStatusCode().value())
                .as("not sent yet").isEqualTo(409);
        sendRate.setMaxRate(2);
        producer.sendBody("direct:launch-now", null);
        await().atMost(SENDING).until(() -> fixture.mailCount(id) >= 3 && status(id, failing) == MessageStatus.FAILED);
        assertThat(post("/api/v1/campaigns/" + id + "/cancel", null).getStatusCode().value()).isEqualTo(200);
        SendFixture.Count count = fixture.countOf(id);
        await().atMost(SENDING).pollInterval(Duration.ofSeconds(2)).until(count::stable);
        int beforeResend = fixture.mailCount(id);
        assertThat(beforeResend).as("cancelled before everybody had mail").isLessThan(people.size());
        sendRate.reset();

        assertThat(post("/api/v1/campaigns/" + id + "/resend", "status=SENT").getStatusCode().value()).isEqualTo(400);
        ResponseEntity<String> resend = post("/api/v1/campaigns/" + id + "/resend", "status=FAILED");
        assertThat(resend.getStatusCode().value()).as(resend.getBody()).isEqualTo(202);
        assertThat(json.readTree(resend.getBody()).path("status").asText()).isEqualTo("SCHEDULED");
        producer.sendBody("direct:launch-now", null);

        await().atMost(SENDING).until(() -> campaigns.status(id).orElseThrow() == CampaignStatus.SENT);
        assertThat(fixture.mailsOf(id).keySet()).containsExactlyInAnyOrderElementsOf(people);
        assertThat(fixture.mailsOf(id).values()).allSatisfy(mails -> assertThat(mails).hasSize(1));
        Ledger.Entry again = ledger.find(MessageIds.forCampaign(id, failing)).orElseThrow();
        assertThat(again.status()).isEqualTo(MessageStatus.FAILED);
        assertThat(again.attempts()).as("the failed recipient was tried again").isEqualTo(2);
        assertThat(again.lastError()).startsWith("TemplateError");
        await().atMost(SENDING).untilAsserted(() -> {
            JsonNode counts = json.readTree(http.exchange("/api/v1/campaigns/" + id, HttpMethod.GET,
                    ApiRequests.withKey(null), String.class).getBody()).path("counts");
            assertThat(counts.path("sent").asLong()).isEqualTo(people.size());
            assertThat(counts.path("failed").asLong()).isEqualTo(1);
        });
        assertThat(post("/api/v1/campaigns/no-such-" + run + "/resend", null).getStatusCode().value()).isEqualTo(404);
    }

    private MessageStatus status(String campaignId, String email) {
        return ledger.find(MessageIds.forCampaign(campaignId, email)).map(Ledger.Entry::status).orElse(null);
    }

    private ResponseEntity<String> post(String path, String query) {
        return http.exchange(path + (query == null ? "" : "?" + query), HttpMethod.POST, ApiRequests.withKey(null), String.class);
    }
}
