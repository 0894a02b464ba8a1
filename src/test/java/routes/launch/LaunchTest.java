package routes.launch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import routes.MailroutesTest;
import routes.aws.AwsProperties;
import routes.intake.CampaignBucket;
import routes.intake.CampaignValidator;
import routes.model.CampaignStatus;
import routes.model.MessageIds;
import routes.model.SendChunk;
import routes.store.Campaigns;
import routes.store.LaunchProgress;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;

/** Accepted campaigns are launched onto the send queue in chunks, resumably. */
@MailroutesTest
@ExtendWith(OutputCaptureExtension.class)
class LaunchTest {

    @Autowired
    S3Client s3;
    @Autowired
    SqsClient sqs;
    @Autowired
    DynamoDbClient dynamo;
    @Autowired
    AwsProperties aws;
    @Autowired
    Campaigns campaigns;
    @Autowired
    LaunchProgress launches;
    @Autowired
    CampaignLauncher launcher;
    @Autowired
    CamelContext camel;
    @Autowired
    ProducerTemplate producer;

    CampaignBucket bucket;

    @BeforeEach
    void bucket() {
        bucket = new CampaignBucket(s3, aws);
    }

    @Test
    void anAcceptedJsonCampaignIsEnqueuedWithResolvedRecipients() throws Exception {
        String name = CampaignBucket.unique("launch.json");
        String id = "launch-" + name.substring(0, 8);
        try (LaunchQueue queue = new LaunchQueue(sqs, aws, camel)) {
            bucket.drop(name, CampaignBucket.fixtureText("campaign-valid.json").replace("CAMPAIGN_ID", id));
            bucket.awaitReport(name);
            producer.sendBody("direct:launch-now", null);

            List<SendChunk> chunks = queue.chunks(id, 1);

            assertThat(chunks).hasSize(1);
            SendChunk chunk = chunks.get(0);
            assertThat(chunk.from()).isEqualTo("News <news@example.com>");
            assertThat(chunk.tags()).containsEntry("season", "spring");
            assertThat(chunk.recipients()).extracting(SendChunk.Recipient::email).containsExactly(
                    "success@simulator.amazonses.com", "ann@example.org", "kai@xn--bcher-kva.example");
            SendChunk.Recipient kai = chunk.recipients().get(2);
            assertThat(kai.messageId()).isEqualTo(MessageIds.forCampaign(id, "kai@xn--bcher-kva.example"));
            assertThat(kai.template()).isEqualTo("welcome");
            assertThat(kai.subject()).isEqualTo("Hello friend");
            assertThat(kai.segment()).isEqualTo("friends");
            assertThat(kai.variables()).containsEntry("firstName", "Kai");
            awaitStatus(id, CampaignStatus.SENDING);
            assertThat(number(id, "chunkCount")).isEqualTo(1);
            assertThat(number(id, "recipientCount")).isEqualTo(3);
        }
    }

    @Test
    void aLargeCsvIsSplitIntoChunksOfAtMost500() throws Exception {
        try (LaunchQueue queue = new LaunchQueue(sqs, aws, camel)) {
            String id = launchedCsv("big", 1200);

            List<SendChunk> chunks = queue.chunks(id, 3);

            assertThat(chunks).extracting(SendChunk::chunk).containsExactly(0, 1, 2);
            assertThat(chunks).extracting(c -> c.recipients().size()).containsExactly(500, 500, 200);
            assertThat(number(id, "chunkCount")).isEqualTo(3);
        }
    }

    @Test
    void aLaunchThatDiedResumesAfterTheLastEnqueuedChunk() throws Exception {
        String base = CampaignBucket.unique("resume");
        String id = "resume-" + base.substring(0, 8);
        bucket.drop(base + ".csv", csv(1200));
        bucket.drop(base + ".manifest.json", "{\"campaignId\":\"" + id + "\",\"template\":\"welcome\","
                + "\"sendAt\":\"2099-01-01T00:00:00Z\"}");
        bucket.awaitReport(base + ".manifest.json");
        // A launcher claimed it, enqueued chunks 0 and 1, recorded that, and died.
        assertThat(launches.claimLaunch(id, EnumSet.of(CampaignStatus.SCHEDULED), Instant.now())).isTrue();
        assertThat(launches.recordEnqueued(id, 2)).isTrue();

        try (LaunchQueue queue = new LaunchQueue(sqs, aws, camel)) {
            launcher.setStaleAfter(Duration.ZERO);
            try {
                producer.sendBody("direct:launch-now", null);
            } finally {
                launcher.setStaleAfter(Duration.ofMinutes(2));
            }

            List<SendChunk> chunks = queue.chunks(id, 1);

            assertThat(chunks).extracting(SendChunk::chunk).containsExactly(2);
            assertThat(chunks.get(0).recipients()).hasSize(200);
            awaitStatus(id, CampaignStatus.SENDING);
            assertThat(number(id, "chunkCount")).isEqualTo(3);
        }
    }

    @Test
    void aLaunchThatDiedBetweenABatchAndItsProgressRecordEnqueuesNoChunkTwice() throws Exception {
        try (LaunchQueue queue = new LaunchQueue(sqs, aws, camel)) {
            String id = launchedCsv("crash", 1200);
            diedBeforeRecordingItsBatch(id, Instant.now());

            producer.sendBody("direct:launch-now", null);

            awaitStatus(id, CampaignStatus.SENDING);
            List<SendChunk> chunks = queue.chunks(id, 3);
            assertThat(chunks).extracting(SendChunk::chunk).containsExactly(0, 1, 2);
            assertThat(number(id, "chunkCount")).isEqualTo(3);
        }
    }

    @Test
    void aLaunchResumedAfterTheDeduplicationIntervalSaysItMayRepeatABatch(CapturedOutput output) throws Exception {
        try (LaunchQueue queue = new LaunchQueue(sqs, aws, camel)) {
            String id = launchedCsv("late", 10);
            diedBeforeRecordingItsBatch(id, Instant.now().minus(Duration.ofMinutes(6)));

            producer.sendBody("direct:launch-now", null);

            awaitStatus(id, CampaignStatus.SENDING);
            assertThat(output.getOut()).contains("Campaign " + id + " resumes 360 s after", "chunks from 0 may be enqueued twice");
            queue.chunks(id, 1);
        }
    }

    /** Drops a CSV campaign of {@code rows} recipients and launches it; returns its id once SENDING. */
    private String launchedCsv(String prefix, int rows) {
        String base = CampaignBucket.unique(prefix);
        String id = prefix + "-" + base.substring(0, 8);
        bucket.drop(base + ".csv", csv(rows));
        bucket.drop(base + ".manifest.json", "{\"campaignId\":\"" + id + "\",\"template\":\"welcome\"}");
        bucket.awaitReport(base + ".manifest.json");
        producer.sendBody("direct:launch-now", null);
        awaitStatus(id, CampaignStatus.SENDING);
        return id;
    }

    /** Its one SendMessageBatch went out, then the launcher died before recording it (at {@code progressAt}). */
    private void diedBeforeRecordingItsBatch(String id, Instant progressAt) {
        dynamo.updateItem(b -> b.tableName(aws.table("campaigns"))
                .key(Map.of("campaignId", AttributeValue.fromS(id)))
                .updateExpression("SET #s = :launching, enqueuedChunks = :zero, launchHeartbeat = :long_ago, "
                        + "progressAt = :progress REMOVE chunkCount")
                .expressionAttributeNames(Map.of("#s", "status"))
                .expressionAttributeValues(Map.of(":launching", AttributeValue.fromS("LAUNCHING"),
                        ":zero", AttributeValue.fromN("0"), ":long_ago", AttributeValue.fromS("2000-01-01T00:00:00.000Z"),
                        ":progress", AttributeValue.fromS(progressAt.toString()))));
    }

    @Test
    void theTemplateOfTheSendDatesWeekOfMonthIsUsed() throws Exception {
        int week = CampaignValidator.weekOfMonth(Instant.now());
        String template = "week-" + week + "-" + CampaignBucket.unique("t").substring(0, 8);
        s3.putObject(b -> b.bucket(aws.bucket()).key("templates/" + template + "/template.json"),
                RequestBody.fromString("{\"requiredVariables\":[]}"));
        String name = CampaignBucket.unique("weekly.json");
        String id = "weekly-" + name.substring(0, 8);
        try (LaunchQueue queue = new LaunchQueue(sqs, aws, camel)) {
            bucket.drop(name, "{\"campaignId\":\"" + id + "\",\"template\":\"welcome\",\"templateByWeekOfMonth\":{\""
                    + week + "\":\"" + template + "\"},\"segments\":[{\"recipients\":[{\"email\":\"ann@example.org\"}]}]}");
            assertThat(bucket.awaitReport(name).path("outcome").asText()).isEqualTo("ACCEPTED");
            producer.sendBody("direct:launch-now", null);

            List<SendChunk> chunks = queue.chunks(id, 1);

            assertThat(chunks.get(0).recipients().get(0).template()).isEqualTo(template);
        }
    }

    static String csv(int rows) {
        StringBuilder csv = new StringBuilder("email,firstName\n");
        for (int i = 0; i < rows; i++) {
            csv.append("user").append(i).append("@example.org,User").append(i).append('\n');
        }
        return csv.toString();
    }

    private void awaitStatus(String id, CampaignStatus status) {
        await().atMost(Duration.ofSeconds(30)).until(() -> campaigns.status(id).orElse(null) == status);
    }

    private long number(String id, String attribute) {
        Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(aws.table("campaigns"))
                .key(Map.of("campaignId", AttributeValue.fromS(id)))).item();
        return Long.parseLong(item.get(attribute).n());
    }
}
