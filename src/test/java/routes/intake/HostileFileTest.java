package routes.intake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import routes.MailroutesTest;
import routes.aws.AwsProperties;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Issue 11 §4 and §5: files built to exhaust the heap or to steer the send flow. Each is generated just
 * over a default limit (1 MB per row, 64 KB per value, 200 variables, 200,000 bytes per launch message),
 * is reported with its line, field, limit and key, and costs no other row.
 */
@MailroutesTest
class HostileFileTest {

    private static final String OVER_ROW = "x".repeat(1_100_000);
    private static final String OVER_VALUE = "v".repeat(70_000);

    @Autowired
    S3Client s3;
    @Autowired
    AwsProperties aws;
    @Autowired
    CampaignIntake intake;

    CampaignBucket bucket;

    @BeforeEach
    void bucket() {
        bucket = new CampaignBucket(s3, aws);
    }

    @Test
    void aJsonlLineOverTheRowLimitIsOneInvalidRowAndTheLinesAfterItAreRead() {
        List<String> lines = jsonlLines(10);
        lines.add(5, jsonl("long@example.org", "{\\\"firstName\\\":\\\"" + OVER_ROW + "\\\"}"));

        JsonNode report = dropAndReport("long.jsonl", String.join("\n", lines));

        assertThat(report.path("outcome").asText()).isEqualTo("ACCEPTED");
        assertThat(report.path("counts").path("valid").asLong()).isEqualTo(10);
        assertThat(report.path("counts").path("invalid").asLong()).isEqualTo(1);
        assertProblem(report, 6, "", "a line longer than 1048576 characters (mailroutes.intake.max-row-length)");
    }

    @Test
    void aJsonlTemplateDataValueOverTheValueLimitIsAnInvalidRow() {
        List<String> lines = jsonlLines(10);
        lines.add(0, jsonl("long@example.org", "{\\\"firstName\\\":\\\"" + OVER_VALUE + "\\\"}"));

        JsonNode report = dropAndReport("long-value.jsonl", String.join("\n", lines));

        assertThat(report.path("counts").path("valid").asLong()).isEqualTo(10);
        assertProblem(report, 1, "Content.Template.TemplateData.firstName",
                "a value or field name longer than 65536 characters (mailroutes.intake.max-value-length)");
    }

    @Test
    void aCsvRecordOverTheRowLimitRejectsTheFileAtItsLine() {
        String csv = "email,firstName,city\nann@example.org,Ann,Oslo\nbob@example.org,Bob,\"Bergen\n"
                + OVER_ROW + "\"\ncid@example.org,Cid,Oslo\n";

        JsonNode report = dropCsvAndReport("long-field", csv);

        assertThat(report.path("outcome").asText()).isEqualTo("REJECTED");
        assertProblem(report, 3, "", "a record longer than 1048576 characters (mailroutes.intake.max-row-length)");
    }

    @Test
    void aCsvValueOverTheValueLimitIsAnInvalidRow() {
        String csv = "email,firstName,city\n" + csvRows(10) + "long@example.org,Long," + OVER_VALUE + "\n";

        JsonNode report = dropCsvAndReport("long-value", csv);

        assertThat(report.path("outcome").asText()).isEqualTo("ACCEPTED");
        assertThat(report.path("counts").path("valid").asLong()).isEqualTo(10);
        assertProblem(report, 12, "city",
                "value of 70000 characters; at most 65536 are allowed (mailroutes.intake.max-value-length)");
    }

    @Test
    void aJsonValueOverTheValueLimitRejectsTheFileNamingLineAndField() {
        List<String> recipients = jsonRecipients(10);
        recipients.add(3, "{\"email\":\"long@example.org\",\"firstName\":\"" + OVER_VALUE + "\"}");

        JsonNode report = dropAndReport("long-value.json", campaign(recipients));

        assertThat(report.path("outcome").asText()).isEqualTo("REJECTED");
        assertProblem(report, 5, "firstName",
                "a value or field name longer than 65536 characters (mailroutes.intake.max-value-length)");
    }

    @Test
    void aJsonRecipientWithTooManyVariablesIsAnInvalidRow() {
        List<String> recipients = jsonRecipients(10);
        recipients.add(2, "{\"email\":\"many@example.org\",\"firstName\":\"M\","
                + IntStream.range(0, 200).mapToObj(i -> "\"v" + i + "\":1").collect(Collectors.joining(",")) + "}");

        JsonNode report = dropAndReport("many.json", campaign(recipients));

        assertThat(report.path("outcome").asText()).isEqualTo("ACCEPTED");
        assertThat(report.path("counts").path("valid").asLong()).isEqualTo(10);
        assertProblem(report, 4, "", "201 variables; at most 200 are allowed (mailroutes.intake.max-variables)");
    }

    @Test
    void aJsonRecipientOverTheRowLimitIsAnInvalidRowAndTheNextRecipientIsRead() {
        List<String> recipients = jsonRecipients(10);
        String values = IntStream.range(0, 20).mapToObj(i -> "\"v" + i + "\":\"" + OVER_VALUE.substring(0, 60_000) + "\"")
                .collect(Collectors.joining(","));
        recipients.add(4, "{\"email\":\"big@example.org\",\"firstName\":\"B\",\"nested\":{" + values + "}}");

        JsonNode report = dropAndReport("big.json", campaign(recipients));

        assertThat(report.path("outcome").asText()).isEqualTo("ACCEPTED");
        assertThat(report.path("counts").path("valid").asLong()).isEqualTo(10);
        assertProblem(report, 6, "nested", "a recipient object longer than 1048576 characters (mailroutes.intake.max-row-length)");
    }

    @Test
    void aRecipientThatCannotFitOneLaunchMessageIsAnInvalidRowAtIntake() {
        List<String> recipients = jsonRecipients(10);
        recipients.add(0, "{\"email\":\"wide@example.org\",\"firstName\":\"W\",\"a\":\"" + OVER_VALUE.substring(0, 60_000)
                + "\",\"b\":\"" + OVER_VALUE.substring(0, 60_000) + "\",\"c\":\"" + OVER_VALUE.substring(0, 60_000)
                + "\",\"d\":\"" + OVER_VALUE.substring(0, 65_000) + "\"}");

        JsonNode report = dropAndReport("wide.json", campaign(recipients));

        assertThat(report.path("outcome").asText()).isEqualTo("ACCEPTED");
        assertThat(report.path("counts").path("valid").asLong()).isEqualTo(10);
        assertProblem(report, 2, "d", "bytes in a launch-queue message; at most 200000 fit (mailroutes.launch.max-chunk-bytes)");
    }

    @Test
    void campaignFieldsOverTheRowLimitRejectTheFile() {
        String tags = IntStream.range(0, 20).mapToObj(i -> "\"t" + i + "\":\"" + OVER_VALUE.substring(0, 60_000) + "\"")
                .collect(Collectors.joining(","));
        String json = "{\"name\":\"tags\",\"template\":\"welcome\",\"tags\":{" + tags + "},\"segments\":[{\"recipients\":[\n"
                + String.join(",\n", jsonRecipients(2)) + "\n]}]}";

        JsonNode report = dropAndReport("tags.json", json);

        assertThat(report.path("outcome").asText()).isEqualTo("REJECTED");
        assertProblem(report, 1, "tags.t17", "the campaign fields are longer than 1048576 characters");
    }

    @Test
    void aJsonRecipientCannotSetTheTransactionalContentKey() {
        List<String> recipients = jsonRecipients(10);
        recipients.add(1, "{\"email\":\"sly@example.org\",\"firstName\":\"S\","
                + "\"transactionalContentKey\":\"transactional/someone-else.json\"}");

        JsonNode report = dropAndReport("reserved.json", campaign(recipients));

        assertThat(report.path("counts").path("valid").asLong()).isEqualTo(10);
        assertProblem(report, 3, "transactionalContentKey", "reserved: the send flow sets this variable itself");
    }

    @Test
    void aJsonlTemplateDataCannotSetTheMessageId() {
        List<String> lines = jsonlLines(10);
        lines.add(jsonl("sly@example.org", "{\\\"firstName\\\":\\\"S\\\",\\\"messageId\\\":\\\"m-1\\\"}"));

        JsonNode report = dropAndReport("reserved.jsonl", String.join("\n", lines));

        assertThat(report.path("counts").path("valid").asLong()).isEqualTo(10);
        assertProblem(report, 11, "Content.Template.TemplateData.messageId", "reserved");
    }

    @Test
    void aCsvColumnCannotBeTheTransactionalContentKey() {
        String csv = "email,firstName,transactionalContentKey\nann@example.org,Ann,transactional/x.json\n";

        JsonNode report = dropCsvAndReport("reserved", csv);

        assertThat(report.path("outcome").asText()).isEqualTo("REJECTED");
        assertProblem(report, 1, "transactionalContentKey", "reserved: the send flow sets this variable itself");
    }

    @Test
    void aFileWithMoreRowsThanTheLimitIsRejectedAtTheFirstRowOver() {
        long limit = intake.maxRows();
        intake.setMaxRows(5);
        try {
            JsonNode report = dropAndReport("rows.jsonl", String.join("\n", jsonlLines(10)));

            assertThat(report.path("outcome").asText()).isEqualTo("REJECTED");
            assertProblem(report, 6, "", "more than 5 rows (mailroutes.intake.max-rows)");
        } finally {
            intake.setMaxRows(limit);
        }
    }

    @Test
    void aProblemQuotesAtMostFiveHundredCharactersOfTheFile() {
        List<String> lines = jsonlLines(10);
        lines.add(jsonl("sly@example.org", "{\\\"firstName\\\":\\\"S\\\"}").replace("welcome", "w".repeat(60_000)));

        JsonNode report = dropAndReport("quote.jsonl", String.join("\n", lines));

        assertProblem(report, 11, "template", "… (60019 characters)");
        assertThat(report.path("problems")).allSatisfy(p -> assertThat(p.path("reason").asText()).hasSizeLessThan(600));
    }

    @Test
    void aFileOfBlanksLongerThanTheContentSniffIsRejected() {
        JsonNode report = dropAndReport("blank.json", " ".repeat(70_000) + campaign(jsonRecipients(1)));

        assertThat(report.path("outcome").asText()).isEqualTo("REJECTED");
        assertProblem(report, 0, "", "more than 65536 blank characters before the content");
    }

    private JsonNode dropAndReport(String name, String content) {
        String unique = CampaignBucket.unique(name);
        bucket.drop(unique, content);
        return filed(bucket.awaitReport(unique), unique);
    }

    private JsonNode dropCsvAndReport(String base, String csv) {
        String unique = CampaignBucket.unique(base);
        bucket.drop(unique + ".csv", csv);
        bucket.drop(unique + ".manifest.json", CampaignBucket.fixture("manifest-welcome.json"));
        return filed(bucket.awaitReport(unique + ".manifest.json"), unique + ".csv");
    }

    /** Nothing is lost: the file left the inbox (cleared after the report is written) for its outcome's folder. */
    private JsonNode filed(JsonNode report, String name) {
        String folder = report.path("outcome").asText().equals("REJECTED") ? "rejected/"
                : "accepted/" + report.path("campaignId").asText() + "/";
        assertThat(bucket.exists(folder + name)).isTrue();
        await().atMost(Duration.ofSeconds(10)).until(() -> !bucket.exists("inbox/" + name));
        return report;
    }

    private static void assertProblem(JsonNode report, long line, String field, String reason) {
        assertThat(report.path("problems")).anySatisfy(p -> {
            assertThat(p.path("line").asLong()).isEqualTo(line);
            assertThat(p.path("field").asText()).isEqualTo(field);
            assertThat(p.path("reason").asText()).contains(reason);
        });
    }

    /** A campaign whose recipient {@code i} is on line {@code i + 2}. */
    private static String campaign(List<String> recipients) {
        return "{\"name\":\"hostile\",\"template\":\"welcome\",\"segments\":[{\"recipients\":[\n"
                + String.join(",\n", recipients) + "\n]}]}";
    }

    private static List<String> jsonRecipients(int count) {
        return IntStream.range(0, count)
                .mapToObj(i -> "{\"email\":\"user" + i + "@example.org\",\"firstName\":\"User" + i + "\"}")
                .collect(Collectors.toCollection(ArrayList::new));
    }

    private static List<String> jsonlLines(int count) {
        return IntStream.range(0, count)
                .mapToObj(i -> jsonl("user" + i + "@example.org", "{\\\"firstName\\\":\\\"User" + i + "\\\"}"))
                .collect(Collectors.toCollection(ArrayList::new));
    }

    private static String jsonl(String to, String escapedTemplateData) {
        return "{\"FromEmailAddress\":\"news@example.com\",\"Destination\":{\"ToAddresses\":[\"" + to + "\"]},"
                + "\"Content\":{\"Template\":{\"TemplateName\":\"welcome\",\"TemplateData\":\"" + escapedTemplateData + "\"}}}";
    }

    private static String csvRows(int count) {
        return IntStream.range(0, count).mapToObj(i -> "user" + i + "@example.org,User" + i + ",Oslo\n")
                .collect(Collectors.joining());
    }
}
