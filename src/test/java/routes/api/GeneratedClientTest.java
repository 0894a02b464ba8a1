package routes.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import routes.MailroutesTest;
import routes.api.client.AdminApi;
import routes.api.client.CampaignsApi;
import routes.api.client.EmailsApi;
import routes.api.client.SuppressionsApi;
import routes.api.client.invoker.ApiClient;
import routes.api.client.invoker.ApiException;
import routes.api.client.model.Campaign;
import routes.api.client.model.CampaignPage;
import routes.api.client.model.CampaignStatus;
import routes.api.client.model.EmailDetails;
import routes.api.client.model.EmailRequest;
import routes.api.client.model.Erasure;
import routes.api.client.model.Error;
import routes.api.client.model.MessageStatus;
import routes.api.client.model.Suppression;
import routes.api.client.model.SuppressionRequest;
import routes.aws.AwsProperties;
import routes.intake.CampaignBucket;
import routes.store.SuppressionList;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The API through a Java client generated from the contract at build time (openapi-generator, native
 * java.net.http), as an integration team would use it: nothing hand-written between the test and the wire.
 */
@MailroutesTest
class GeneratedClientTest {

    @LocalServerPort int port;
    @Autowired S3Client s3;
    @Autowired AwsProperties aws;
    @Autowired ObjectMapper json;

    private ApiClient client() {
        return ApiRequests.generatedClient(port);
    }

    @Test
    void aTransactionalEmailIsSentAndItsStatusAndEventsRead() throws Exception {
        EmailsApi emails = new EmailsApi(client());
        String to = unique("ivy") + "@example.org";

        String emailId = emails.sendEmail(new EmailRequest().to(List.of(to)).subject("Welcome").bodyText("Hello")
                .metadata(Map.of("userId", "42")), UUID.randomUUID().toString()).getEmailId();

        EmailDetails delivered = await().atMost(Duration.ofSeconds(30))
                .until(() -> emails.getEmail(emailId), email -> email.getStatus() == MessageStatus.DELIVERED);
        assertThat(delivered.getRecipient()).isEqualTo(to);
        assertThat(delivered.getMetadata()).containsEntry("userId", "42");
        assertThat(delivered.getEvents()).extracting(e -> e.getType()).contains("Delivery");
        assertThat(emails.listEmails(to, null, null, 10, null).getItems()).extracting(e -> e.getEmailId()).containsExactly(emailId);
    }

    @Test
    void campaignsArePagedAndOnePausedAndResumed() throws Exception {
        CampaignsApi campaigns = new CampaignsApi(client());
        Set<String> ours = new HashSet<>();
        CampaignBucket bucket = new CampaignBucket(s3, aws);
        for (int i = 0; i < 3; i++) {
            String id = unique("paged");
            ours.add(id);
            // Dropped like any campaign file, due far ahead: SCHEDULED until the test cancels it.
            String file = id + ".json";
            bucket.drop(file, CampaignBucket.fixtureText("campaign-valid.json").replace("CAMPAIGN_ID", id)
                    .replace("\"name\": \"Spring news\",", "\"name\": \"Paged\", \"sendAt\": \"2099-01-01T00:00:00Z\","));
            assertThat(bucket.awaitReport(file).path("outcome").asText()).isEqualTo("SCHEDULED");
        }

        Set<String> seen = new HashSet<>();
        int pages = 0;
        String cursor = null;
        do {
            CampaignPage page = campaigns.listCampaigns(CampaignStatus.SCHEDULED, 2, cursor);
            page.getItems().forEach(c -> seen.add(c.getCampaignId()));
            cursor = page.getNext();
            pages++;
        } while (cursor != null && !seen.containsAll(ours));
        assertThat(seen).containsAll(ours);
        assertThat(pages).isGreaterThan(1);

        String id = ours.iterator().next();
        assertThat(campaigns.pauseCampaign(id).getStatus()).isEqualTo(CampaignStatus.PAUSED);
        Campaign resumed = campaigns.resumeCampaign(id);
        assertThat(resumed.getStatus()).isEqualTo(CampaignStatus.SCHEDULED);
        for (String campaign : ours) {
            campaigns.cancelCampaign(campaign);
        }
    }

    @Test
    void aSuppressionIsAddedAndRemovedAndARecipientWithPlusAndAtIsErased() throws Exception {
        SuppressionsApi suppressions = new SuppressionsApi(client());
        String address = unique("jo+news") + "@example.org";

        Suppression added = suppressions.addSuppression(new SuppressionRequest().email(address).detail("asked by phone"));
        assertThat(added.getReason()).isEqualTo(Suppression.ReasonEnum.MANUAL);
        suppressions.removeSuppression(address);
        Throwable thrown = catchThrowable(() -> suppressions.removeSuppression(address));
        assertThat(thrown).isInstanceOf(ApiException.class);
        ApiException gone = (ApiException) thrown;
        assertThat(gone.getCode()).isEqualTo(404);
        assertThat(json.readValue(gone.getResponseBody(), Error.class).getError()).isEqualTo(Error.ErrorEnum.NOT_FOUND);

        suppressions.addSuppression(new SuppressionRequest().email(address));
        Erasure erased = new AdminApi(client()).eraseRecipient(address);
        assertThat(erased.getPseudonym()).isEqualTo(SuppressionList.pseudonym(address));
        assertThat(erased.getSuppressionKept()).isTrue();
    }

    private static String unique(String name) {
        return name + "-" + UUID.randomUUID().toString().substring(0, 8);
    }
}
