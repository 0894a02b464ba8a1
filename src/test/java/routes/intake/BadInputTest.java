package routes.intake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.Date;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;
import routes.MailroutesTest;
import routes.aws.AwsProperties;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The bad-input list of issue 3: every committed fixture gets its specific report entry, lands in
 * the right folder, and never stops the inbox.
 */
@MailroutesTest
class BadInputTest {

    @Autowired
    S3Client s3;
    @Autowired
    AwsProperties aws;
    @Autowired
    IntakeFiles intakeFiles;

    CampaignBucket bucket;

    @BeforeEach
    void bucket() {
        bucket = new CampaignBucket(s3, aws);
    }

    static Stream<Arguments> badFiles() {
        return Stream.of(
                Arguments.of("empty.json", "REJECTED", "0||empty file"),
                Arguments.of("not-utf8.json", "REJECTED", "1||not UTF-8"),
                Arguments.of("campaign-truncated.json", "REJECTED", "||truncated JSON"),
                Arguments.of("campaign-array.json", "REJECTED", "1||a JSON array"),
                Arguments.of("no-email.csv", "REJECTED", "1|email|no 'email' column"),
                Arguments.of("ragged.csv", "ACCEPTED", "5||the row has 2 fields; the header has 3"),
                Arguments.of("quoted-newlines.csv", "ACCEPTED", "14|email|not an address"),
                Arguments.of("ten-thousand-columns.csv", "REJECTED", "1||10000 columns"),
                Arguments.of("looks-like-json.csv", "REJECTED", "1||the content is JSON"),
                Arguments.of("sendemail-one-broken.jsonl", "ACCEPTED", "4||not valid JSON"),
                Arguments.of("campaign-bad-addresses.json", "ACCEPTED", "47|email|not an address"),
                Arguments.of("campaign-bad-addresses.json", "ACCEPTED", "51|email|duplicate of an earlier row"),
                Arguments.of("campaign-non-ascii-local.json", "ACCEPTED", "47|email|non-ASCII local part"),
                Arguments.of("campaign-mostly-invalid.json", "REJECTED", "0||5 of 10 rows invalid, more than the allowed share 0.10"),
                Arguments.of("campaign-unknown-template.json", "REJECTED", "0|template|unknown template 'no-such-template'"),
                Arguments.of("campaign-missing-variable.json", "ACCEPTED", "47|firstName|missing; template 'welcome' requires it"),
                Arguments.of("campaign-past.json", "ACCEPTED", "0|sendAt|in the past"),
                Arguments.of("campaign-bad-sendat.json", "REJECTED", "|sendAt|unparseable date 'next tuesday'"),
                Arguments.of("campaign-no-recipients.json", "REJECTED", "0||no valid recipients"));
    }

    @ParameterizedTest(name = "{0} → {1}: {2}")
    @MethodSource("badFiles")
    void eachBadFileGetsItsSpecificReportEntry(String fixture, String outcome, String problem) {
        String name = CampaignBucket.unique(fixture);
        drop(name, fixture);

        JsonNode report = bucket.awaitReport(reportName(name));

        assertThat(report.path("outcome").asText()).isEqualTo(outcome);
        String[] expected = problem.split("\\|", -1);
        assertThat(report.path("problems")).anySatisfy(p -> {
            if (!expected[0].isEmpty()) {
                assertThat(p.path("line").asLong()).isEqualTo(Long.parseLong(expected[0]));
            }
            assertThat(p.path("field").asText()).isEqualTo(expected[1]);
            assertThat(p.path("reason").asText()).contains(expected[2]);
        });
        String folder = outcome.equals("REJECTED") ? "rejected/" : "accepted/" + report.path("campaignId").asText() + "/";
        assertThat(bucket.exists(folder + name)).isTrue();
        // The report is written before the inbox copy is deleted (a crash between them re-reads the file).
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(bucket.exists("inbox/" + name)).isFalse());
    }

    @Test
    void tooManyInvalidRowsRejectTheWholeFileWithCounts() {
        String name = CampaignBucket.unique("campaign-mostly-invalid.json");
        drop(name, "campaign-mostly-invalid.json");

        JsonNode report = bucket.awaitReport(name);

        assertThat(report.path("reason").asText()).contains("5 of 10 rows invalid");
        assertThat(report.path("counts").path("valid").asLong()).isEqualTo(5);
        assertThat(report.path("counts").path("invalid").asLong()).isEqualTo(5);
    }

    @Test
    void duplicatesAreCountedApartFromInvalidRows() {
        String name = CampaignBucket.unique("campaign-bad-addresses.json");
        drop(name, "campaign-bad-addresses.json");

        JsonNode counts = bucket.awaitReport(name).path("counts");

        assertThat(counts.path("rows").asLong()).isEqualTo(22);
        assertThat(counts.path("valid").asLong()).isEqualTo(20);
        assertThat(counts.path("invalid").asLong()).isEqualTo(1);
        assertThat(counts.path("duplicates").asLong()).isEqualTo(1);
    }

    @Test
    void aBrokenFileDoesNotBlockTheNextOne() {
        String broken = CampaignBucket.unique("campaign-truncated.json");
        String good = CampaignBucket.unique("campaign-past.json");
        drop(broken, "campaign-truncated.json");
        drop(good, "campaign-past.json");

        assertThat(bucket.awaitReport(broken).path("outcome").asText()).isEqualTo("REJECTED");
        assertThat(bucket.awaitReport(good).path("outcome").asText()).isEqualTo("ACCEPTED");
    }

    @Test
    void anObjectOverTheSizeLimitIsRejectedBeforeReading() {
        long limit = intakeFiles.maxFileSize();
        intakeFiles.setMaxFileSize(100);
        try {
            String name = CampaignBucket.unique("campaign-past.json");
            drop(name, "campaign-past.json");

            JsonNode report = bucket.awaitReport(name);

            assertThat(report.path("outcome").asText()).isEqualTo("REJECTED");
            assertThat(report.path("problems").get(0).path("reason").asText())
                    .contains("exceeds the limit of 100 bytes").contains("not read");
            assertThat(report.path("counts").path("rows").asLong()).isZero();
        } finally {
            intakeFiles.setMaxFileSize(limit);
        }
    }

    @Test
    void aCsvStartingWithAByteOrderMarkKeepsItsEmailColumn() {
        String name = CampaignBucket.unique("bom.csv");
        drop(name, "bom.csv");

        JsonNode report = bucket.awaitReport(reportName(name));

        assertThat(report.path("outcome").asText()).isEqualTo("ACCEPTED");
        assertThat(report.path("counts").path("valid").asLong()).isEqualTo(2);
        assertThat(report.path("counts").path("invalid").asLong()).isZero();
        assertThat(report.path("problems")).isEmpty();
    }

    /** A real 2 GB upload cannot be held by the in-memory S3; the decision needs only the listed size. */
    @Test
    void aTwoGigabyteObjectIsRefusedUnreadUnderTheConfiguredLimit() {
        long twoGigabytes = 2L * 1024 * 1024 * 1024;

        IntakeFile file = intakeFiles.inspect(null, "inbox/huge.jsonl", "\"etag\"", twoGigabytes, new Date());

        assertThat(file.action()).isEqualTo(IntakeFile.Action.REJECT);
        assertThat(file.rejection().reason())
                .isEqualTo("file of 2147483648 bytes exceeds the limit of 1073741824 bytes"
                        + " (mailroutes.intake.max-file-size); not read");
    }

    @Test
    void aManifestWithoutItsCsvWaitsThenIsRejected() {
        Duration wait = intakeFiles.manifestWait();
        intakeFiles.setManifestWait(Duration.ofSeconds(2));
        try {
            String base = CampaignBucket.unique("lonely");
            bucket.drop(base + ".manifest.json", CampaignBucket.fixture("manifest-welcome.json"));

            JsonNode report = bucket.awaitReport(base + ".manifest.json", Duration.ofSeconds(30));

            assertThat(report.path("outcome").asText()).isEqualTo("REJECTED");
            assertThat(report.path("problems").get(0).path("field").asText()).isEqualTo("recipientsKey");
            assertThat(report.path("problems").get(0).path("reason").asText())
                    .contains("manifest without its CSV: inbox/" + base + ".csv");
            assertThat(bucket.exists("rejected/" + base + ".manifest.json")).isTrue();
        } finally {
            intakeFiles.setManifestWait(wait);
        }
    }

    /** CSV fixtures travel with the shared manifest; the report is named after the manifest. */
    private void drop(String name, String fixture) {
        if (name.endsWith(".csv")) {
            bucket.drop(name, CampaignBucket.fixture(fixture));
            bucket.drop(IntakeFiles.manifestOf("inbox/" + name).substring("inbox/".length()),
                    CampaignBucket.fixture("manifest-welcome.json"));
        } else {
            bucket.drop(name, CampaignBucket.fixture(fixture));
        }
    }

    private static String reportName(String name) {
        return name.endsWith(".csv") ? IntakeFiles.manifestOf("inbox/" + name).substring("inbox/".length()) : name;
    }
}
