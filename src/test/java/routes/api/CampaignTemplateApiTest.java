package routes.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.mail.internet.MimeMessage;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.camel.ProducerTemplate;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import routes.MailroutesTest;
import routes.api.client.AdminApi;
import routes.api.client.CampaignsApi;
import routes.api.client.TemplatesApi;
import routes.api.client.invoker.ApiClient;
import routes.api.client.invoker.ApiException;
import routes.api.client.model.AuditEntry;
import routes.api.client.model.CampaignCreated;
import routes.api.client.model.CampaignRefusal;
import routes.api.client.model.CampaignRequest;
import routes.api.client.model.CampaignRequestRecipientsInner;
import routes.api.client.model.CampaignStatus;
import routes.api.client.model.Error;
import routes.api.client.model.IntakeProblem;
import routes.api.client.model.Preview;
import routes.api.client.model.PreviewRequest;
import routes.api.client.model.RescheduleRequest;
import routes.api.client.model.Template;
import routes.api.client.model.TemplatePage;
import routes.api.client.model.TemplateRequest;
import routes.api.client.model.Upload;
import routes.api.client.model.UploadRequest;
import routes.aws.AwsProperties;
import routes.intake.CampaignBucket;
import routes.send.SendFixture;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Seed 002's Message Centre through the generated client: it uploads recipients through the presigned URL with a
 * plain HTTP client, creates campaigns that go through the intake (and sends them), reschedules and deletes, and
 * manages a template that a campaign then uses.
 */
@MailroutesTest
class CampaignTemplateApiTest {

    private static final Duration WAIT = Duration.ofSeconds(60);

    @LocalServerPort int port;
    @Autowired ObjectMapper json;
    @Autowired S3Client s3;
    @Autowired SqsClient sqs;
    @Autowired DynamoDbClient dynamo;
    @Autowired AwsProperties aws;
    @Autowired ProducerTemplate producer;

    private ApiClient client() {
        return ApiRequests.generatedClient(port);
    }

    @Test
    void aCampaignFromAnUploadedCsvAndASavedTemplateIsSentOnceWhateverTheRepeats() throws Exception {
        SendFixture outbox = new SendFixture(dynamo, sqs, aws, json);   // sees the mails sent from now on
        CampaignsApi campaigns = new CampaignsApi(client());
        String template = unique("news");
        new TemplatesApi(client()).saveTemplate(template, greeting("News for $firstName"));
        String ann = unique("ann") + "@example.org";
        String bo = unique("bo") + "@example.org";
        byte[] csv = ("email,firstName\n" + ann + ",Ann\n" + bo + ",Bo\n").getBytes(StandardCharsets.UTF_8);
        Upload upload = campaigns.createUpload(new UploadRequest().kind(UploadRequest.KindEnum.RECIPIENTS)
                .filename("spring.csv").contentType(UploadRequest.ContentTypeEnum.TEXT_CSV).contentLength((long) csv.length));
        put(upload, csv);

        CampaignRequest request = new CampaignRequest().name("Spring").template(template).from("News <news@example.com>")
                .recipientsKey(upload.getKey()).recipients(null);
        String key = UUID.randomUUID().toString();
        CampaignCreated created = campaigns.createCampaign(request, key);
        CampaignCreated repeated = campaigns.createCampaign(request, key);

        assertThat(created.getStatus()).isEqualTo(CampaignCreated.StatusEnum.ACCEPTED);
        assertThat(created.getReport().getCounts().getValid()).isEqualTo(2);
        assertThat(repeated.getCampaignId()).isEqualTo(created.getCampaignId());
        ApiException otherBody = catchThrowableOfType(ApiException.class,
                () -> campaigns.createCampaign(request.name("Summer"), key));
        assertThat(otherBody.getCode()).isEqualTo(409);
        producer.sendBody("direct:launch-now", null);
        await().atMost(WAIT).until(() -> campaigns.getCampaign(created.getCampaignId()).getStatus(),
                status -> status == CampaignStatus.SENT || status == CampaignStatus.COMPLETED);
        List<MimeMessage> toAnn = outbox.mailsTo(ann);
        assertThat(toAnn).hasSize(1);
        assertThat(toAnn.get(0).getSubject()).isEqualTo("News for Ann");
        assertThat(outbox.mailsTo(bo)).hasSize(1);
        assertThat(new AdminApi(client()).listAuditEntries(100, null).getItems())
                .filteredOn(entry -> "createCampaign".equals(entry.getOperation()))
                .extracting(AuditEntry::getTarget).contains(created.getCampaignId());
    }

    @Test
    void inlineRecipientsTheIntakeRefusesAreA422NamingLineAndField() throws Exception {
        CampaignsApi campaigns = new CampaignsApi(client());
        CampaignRequest request = new CampaignRequest().template("welcome")
                .recipients(List.of(recipient(unique("cy") + "@example.org"), recipient("not-an-address")));

        ApiException refused = catchThrowableOfType(ApiException.class, () -> campaigns.createCampaign(request, null));

        assertThat(refused.getCode()).as(refused.getResponseBody()).isEqualTo(422);
        CampaignRefusal refusal = json.readValue(refused.getResponseBody(), CampaignRefusal.class);
        assertThat(refusal.getReport().getOutcome()).hasToString("REJECTED");
        // recipient i is line i + 2 of the campaign file the API wrote
        assertThat(refusal.getReport().getProblems()).extracting(IntakeProblem::getLine, IntakeProblem::getField)
                .contains(tuple(3L, "email"));

        ApiException notUploaded = catchThrowableOfType(ApiException.class, () -> campaigns.createCampaign(
                new CampaignRequest().template("welcome").recipientsKey("uploads/recipients/" + UUID.randomUUID() + "/none.csv"), null));
        assertThat(notUploaded.getCode()).isEqualTo(422);
        assertThat(json.readValue(notUploaded.getResponseBody(), CampaignRefusal.class).getDetails().getField())
                .isEqualTo("recipientsKey");

        ApiClient readOnly = ApiRequests.generatedClient(port);
        readOnly.setRequestInterceptor(r -> r.header("X-API-Key", "local-read-key"));
        ApiException forbidden = catchThrowableOfType(ApiException.class, () -> new CampaignsApi(readOnly).createCampaign(request, null));
        assertThat(forbidden.getCode()).isEqualTo(403);
        assertThat(json.readValue(forbidden.getResponseBody(), Error.class).getDetails().getConstraint()).isEqualTo("campaigns");
    }

    @Test
    void aScheduledCampaignIsRescheduledToNowAndSentAndAnotherDeletedBeforeItsLaunch() throws Exception {
        SendFixture outbox = new SendFixture(dynamo, sqs, aws, json);
        CampaignsApi campaigns = new CampaignsApi(client());
        OffsetDateTime later = OffsetDateTime.of(2099, 1, 1, 9, 0, 0, 0, ZoneOffset.ofHours(2));
        String dee = unique("dee") + "@example.org";
        CampaignCreated moved = campaigns.createCampaign(new CampaignRequest().template("welcome").sendAt(later)
                .recipients(List.of(recipient(dee))), null);
        CampaignCreated dropped = campaigns.createCampaign(new CampaignRequest().template("welcome").sendAt(later)
                .recipients(List.of(recipient(unique("eve") + "@example.org"))), null);
        assertThat(moved.getStatus()).isEqualTo(CampaignCreated.StatusEnum.SCHEDULED);

        campaigns.rescheduleCampaign(moved.getCampaignId(), new RescheduleRequest().sendAt(OffsetDateTime.now(ZoneOffset.UTC)));
        campaigns.deleteCampaign(dropped.getCampaignId());
        producer.sendBody("direct:launch-now", null);

        await().atMost(WAIT).until(() -> campaigns.getCampaign(moved.getCampaignId()).getStatus(),
                status -> status == CampaignStatus.SENT || status == CampaignStatus.COMPLETED);
        assertThat(outbox.mailsTo(dee)).hasSize(1);
        assertThat(catchThrowableOfType(ApiException.class, () -> campaigns.getCampaign(dropped.getCampaignId())).getCode())
                .isEqualTo(404);
        assertThat(catchThrowableOfType(ApiException.class, () -> campaigns.rescheduleCampaign(moved.getCampaignId(),
                new RescheduleRequest().sendAt(later))).getCode()).isEqualTo(409);
        assertThat(catchThrowableOfType(ApiException.class, () -> campaigns.deleteCampaign(moved.getCampaignId())).getCode())
                .isEqualTo(409);
    }

    @Test
    void aTemplateIsSavedABrokenOneRefusedWithItsLinePreviewedEscapedAndRolledBack() throws Exception {
        TemplatesApi templates = new TemplatesApi(client());
        String name = unique("offer");
        assertThat(templates.saveTemplate(name, greeting("Offer for $firstName")).getVersion()).isEqualTo(1);

        ApiException broken = catchThrowableOfType(ApiException.class, () -> templates.saveTemplate(name,
                greeting("Offer").html("<p>Hello $firstName</p>\n#if($firstName)\n<p>no end</p>\n")));
        assertThat(broken.getCode()).as(broken.getResponseBody()).isEqualTo(422);
        Error refusal = json.readValue(broken.getResponseBody(), Error.class);
        assertThat(refusal.getDetails().getField()).isEqualTo("html");
        assertThat(refusal.getDetails().getLine()).isEqualTo(4);
        assertThat(templates.getTemplate(name, null).getVersion()).isEqualTo(1);

        Template second = templates.saveTemplate(name, greeting("Second offer for $firstName"));
        assertThat(second.getVersion()).isEqualTo(2);
        Preview preview = templates.previewTemplate(name, new PreviewRequest().variables(Map.of("firstName", "<b>Al</b>")));
        assertThat(preview.getSubject()).isEqualTo("Second offer for <b>Al</b>");
        assertThat(preview.getHtml()).contains("Hello &lt;b&gt;Al&lt;/b&gt;").doesNotContain("<b>Al</b>");
        assertThat(preview.getText()).contains("Hello <b>Al</b>");

        Template rolledBack = templates.rollbackTemplate(name);
        assertThat(rolledBack.getVersion()).isEqualTo(1);
        assertThat(rolledBack.getSubject()).isEqualTo("Offer for $firstName");
        assertThat(templates.getTemplate(name, "previous").getVersion()).isEqualTo(2);
        assertThat(templates.listTemplates(100, null).getItems()).extracting(t -> t.getName()).contains(name);
        assertThat(new CampaignBucket(s3, aws).exists("templates/" + name + "/body.html.vm")).isTrue();

        templates.deleteTemplate(name);
        assertThat(catchThrowableOfType(ApiException.class, () -> templates.getTemplate(name, null)).getCode()).isEqualTo(404);
        assertThat(templates.getTemplate("welcome", null).getSource()).isEqualTo(Template.SourceEnum.BUNDLED);
    }

    @Test
    void aTemplateBundleUploadedThroughThePresignedUrlIsSavedLikeInlineFields() throws Exception {
        byte[] bundle = json.writeValueAsBytes(Map.of("requiredVariables", List.of("firstName"),
                "sampleData", Map.of("firstName", "Ann"), "subject", "Bundled for $firstName",
                "html", "<p>Hello $firstName</p>", "text", "Hello $firstName"));
        Upload upload = new CampaignsApi(client()).createUpload(new UploadRequest().kind(UploadRequest.KindEnum.TEMPLATE)
                .filename("offer.json").contentType(UploadRequest.ContentTypeEnum.APPLICATION_JSON)
                .contentLength((long) bundle.length));
        put(upload, bundle);
        String name = unique("bundled");

        Template saved = new TemplatesApi(client()).saveTemplate(name, new TemplateRequest().uploadKey(upload.getKey()));

        assertThat(saved.getSubject()).isEqualTo("Bundled for $firstName");
        assertThat(new TemplatesApi(client()).previewTemplate(name, new PreviewRequest()).getSubject()).isEqualTo("Bundled for Ann");
    }

    @Test
    void storedTemplatesArePagedLikeOtherLists() throws Exception {
        TemplatesApi templates = new TemplatesApi(client());
        List<String> ours = List.of(unique("page"), unique("page"));
        for (String name : ours) {
            templates.saveTemplate(name, greeting("Paged"));
        }
        Set<String> seen = new HashSet<>();
        int pages = 0;
        String cursor = null;
        do {
            TemplatePage page = templates.listTemplates(1, cursor);
            page.getItems().forEach(t -> seen.add(t.getName()));
            cursor = page.getNext();
            pages++;
        } while (cursor != null && !seen.containsAll(ours));
        assertThat(seen).containsAll(ours);
        assertThat(pages).isGreaterThan(1);
        for (String name : ours) {
            templates.deleteTemplate(name);
        }
    }

    private static TemplateRequest greeting(String subject) {
        return new TemplateRequest().description("test greeting").requiredVariables(List.of("firstName"))
                .sampleData(Map.of("firstName", "Ann")).subject(subject)
                .html("<p>Hello $firstName</p><p><a href=\"$unsubscribeUrl\">Unsubscribe</a></p>")
                .text("Hello $firstName\nUnsubscribe: $unsubscribeUrl");
    }

    private static CampaignRequestRecipientsInner recipient(String email) {
        return new CampaignRequestRecipientsInner().email(email).putAdditionalProperty("firstName", "Cy");
    }

    /** The Message Centre's own HTTP client, sending exactly the headers the upload was signed for. */
    private static void put(Upload upload, byte[] file) throws Exception {
        HttpRequest.Builder put = HttpRequest.newBuilder(URI.create(upload.getUrl())).PUT(HttpRequest.BodyPublishers.ofByteArray(file));
        upload.getHeaders().forEach((name, value) -> {
            if (!name.equalsIgnoreCase("content-length")) {
                put.header(name, value);
            }
        });
        HttpResponse<String> stored = HttpClient.newHttpClient().send(put.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(stored.statusCode()).as(stored.body()).isEqualTo(200);
    }

    private static String unique(String name) {
        return name + "-" + UUID.randomUUID().toString().substring(0, 8);
    }
}
