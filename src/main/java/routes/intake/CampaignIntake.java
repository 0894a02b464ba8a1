package routes.intake;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import routes.model.CampaignStatus;
import routes.model.LogRedaction;
import routes.store.Campaigns;

/**
 * Turns one inbox file into a campaign or a rejection: {@link #validate} streams and judges it,
 * {@link #register} writes the campaign row, {@link #file} archives the file and writes its report.
 */
@Component
public class CampaignIntake {

    public static final String ACCEPTED = "accepted/";
    public static final String REJECTED = "rejected/";
    public static final String REPORTS = "reports/";
    /** A report is named after its file: {@code <file>.report.json}, next to the archived file as well. */
    public static final String REPORT_SUFFIX = ".report.json";
    private static final Logger LOG = LoggerFactory.getLogger(CampaignIntake.class);

    private final CampaignObjects objects;
    private final Map<FileFormat, CampaignFileParser> parsers;
    private final CampaignValidator validator;
    private final Campaigns campaigns;
    private final IntakeProperties properties;
    private final Clock clock;
    private volatile long maxRows;
    private final ObjectMapper json = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    public CampaignIntake(CampaignObjects objects, List<CampaignFileParser> parsers, CampaignValidator validator,
                          Campaigns campaigns, IntakeProperties properties, Clock clock) {
        this.objects = objects;
        this.parsers = parsers.stream().collect(java.util.stream.Collectors.toMap(CampaignFileParser::format, p -> p));
        this.validator = validator;
        this.campaigns = campaigns;
        this.properties = properties;
        this.clock = clock;
        this.maxRows = properties.maxRows();
    }

    public long maxRows() {
        return maxRows;
    }

    /** Runtime change of {@code mailroutes.intake.max-rows} (tests share one context). */
    public void setMaxRows(long rows) {
        this.maxRows = rows;
    }

    /** The parser for a stored format name (the launch reads files again with it). */
    public CampaignFileParser parser(FileFormat format) {
        return parsers.get(format == FileFormat.MANIFEST ? FileFormat.CSV : format);
    }

    /** A file refused unread (too large, unpaired, unknown type). */
    public IntakeReport refuse(IntakeFile file) {
        IntakeReport report = new IntakeReport(file, properties.maxReportedProblems());
        report.problem(file.rejection());
        report.decide(IntakeReport.Outcome.REJECTED, file.rejection().reason(), null);
        return report;
    }

    /** Reads the campaign fields, then streams every row through the validator. */
    public IntakeReport validate(IntakeFile file) {
        IntakeReport report = new IntakeReport(file, properties.maxReportedProblems());
        CampaignFileParser parser = parser(file.format());
        try {
            CampaignDefinition definition;
            try (InputStream in = objects.open(file.definitionKey())) {
                definition = parser.definition(in, derivedId(file));
            }
            report.campaign(definition);
            List<Problem> problems = validator.checkDefinition(definition, file.format() == FileFormat.JSONL);
            if (!problems.isEmpty()) {
                problems.forEach(report::problem);
                report.decide(IntakeReport.Outcome.REJECTED, "invalid campaign fields", null);
                return report;
            }
            if (campaigns.exists(definition.campaignId())) {
                return duplicate(report);
            }
            Instant now = clock.instant();
            Instant sendDate = definition.sendAt() == null || definition.sendAt().isBefore(now) ? now : definition.sendAt();
            CampaignValidator.Rows rows = validator.rows(definition, sendDate);
            long limit = maxRows;
            try (InputStream in = objects.open(file.recipientsKey())) {
                parser.rows(in, definition, new RowSink() {
                    private long count;

                    @Override
                    public void row(Row row) {
                        counted(row.line());
                        report.row(rows.check(row, report::problem).isPresent());
                    }

                    @Override
                    public void problem(Problem problem) {
                        counted(problem.line());
                        report.problem(problem);
                        report.row(false);
                    }

                    private void counted(long line) {
                        if (++count > limit) {
                            throw new BrokenFileException(line, "", "more than " + limit
                                    + " rows (mailroutes.intake.max-rows); the file is not read further");
                        }
                    }
                });
            }
            report.duplicates(rows.duplicates());
            judge(report, definition, now);
        } catch (BrokenFileException broken) {
            report.problem(broken.problem());
            report.decide(IntakeReport.Outcome.REJECTED, broken.problem().reason(), null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return report;
    }

    private void judge(IntakeReport report, CampaignDefinition definition, Instant now) {
        long judged = report.valid() + report.invalid();
        if (report.valid() == 0) {
            reject(report, "no valid recipients");
        } else if ((double) report.invalid() / judged > properties.maxInvalidRatio()) {
            reject(report, String.format(java.util.Locale.ROOT,
                    "%d of %d rows invalid, more than the allowed share %.2f (mailroutes.intake.max-invalid-ratio)",
                    report.invalid(), judged, properties.maxInvalidRatio()));
        } else if (definition.sendAt() != null && definition.sendAt().isAfter(now)) {
            report.decide(IntakeReport.Outcome.SCHEDULED, null, definition.sendAt());
        } else {
            if (definition.sendAt() != null) {
                report.problem(new Problem(0, "sendAt", "in the past (" + definition.sendAt() + "); sending now"));
            }
            report.decide(IntakeReport.Outcome.ACCEPTED, null, now);
        }
    }

    private static void reject(IntakeReport report, String reason) {
        report.problem(new Problem(0, "", reason));
        report.decide(IntakeReport.Outcome.REJECTED, reason, null);
    }

    /**
     * Archives the file under {@code accepted/<campaignId>/} and then writes the campaign row with a
     * conditional put, so a row never points at a file that is not there. A lost put means the
     * campaign exists already: the file is a duplicate.
     */
    public IntakeReport register(IntakeReport report) {
        IntakeFile file = report.source();
        String folder = ACCEPTED + report.getCampaignId() + "/";
        archive(file, folder);
        String recipientsKey = file.paired() ? folder + name(file.recipientsKey()) : null;
        boolean created = campaigns.register(new Campaigns.Registration(report.getCampaignId(),
                report.getOutcome() == IntakeReport.Outcome.SCHEDULED ? CampaignStatus.SCHEDULED : CampaignStatus.ACCEPTED,
                report.getSendAt(), report.definition().name(), report.getFormat().name(), folder + name(file.key()),
                recipientsKey, file.etag(), write(report.definition()), report.getCounts().valid(),
                report.definition().callbackUrl()));
        if (!created) {
            return duplicate(report);
        }
        objects.putJson(folder + name(file.key()) + REPORT_SUFFIX, bytes(report));
        LOG.info("Campaign {} {} with {} recipients from {}", report.getCampaignId(), report.getOutcome(),
                report.getCounts().valid(), file.key());
        return report;
    }

    /** Writes the report, parks a refused file under {@code rejected/}, and clears the inbox. */
    public IntakeReport file(IntakeReport report) {
        IntakeFile file = report.source();
        if (!report.isAcceptable()) {
            archive(file, REJECTED);
            LOG.info("Campaign file {} {}: {}", file.key(), report.getOutcome(), LogRedaction.withoutAddresses(report.getReason()));
        }
        objects.putJson(REPORTS + file.name() + REPORT_SUFFIX, bytes(report));
        objects.delete(file.key());
        if (file.paired()) {
            objects.delete(file.recipientsKey());
        }
        return report;
    }

    /** Deletes the archived files of a campaign whose row was removed before its launch (the report stays). */
    public void withdraw(String campaignId) {
        objects.deleteUnder(ACCEPTED + campaignId + "/");
    }

    /** Reads a stored definition back (launch). */
    public CampaignDefinition definition(String stored) {
        try {
            return json.readValue(stored, CampaignDefinition.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private IntakeReport duplicate(IntakeReport report) {
        report.decide(IntakeReport.Outcome.DUPLICATE, "campaign " + report.getCampaignId()
                + " exists already (same file key and ETag, or same campaignId); no second campaign", null);
        return report;
    }

    private void archive(IntakeFile file, String folder) {
        objects.copy(file.key(), folder + name(file.key()));
        if (file.paired() && objects.head(file.recipientsKey()).isPresent()) {
            objects.copy(file.recipientsKey(), folder + name(file.recipientsKey()));
        }
    }

    private static String name(String key) {
        return key.substring(key.lastIndexOf('/') + 1);
    }

    /** {@code <file name>-<hash of key and ETag>}: the same object dropped again gets the same id. */
    static String derivedId(IntakeFile file) {
        String base = file.name().replaceAll("(\\.manifest)?\\.(json|jsonl|csv)$", "").replaceAll("[^A-Za-z0-9._-]", "-");
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256")
                    .digest((file.key() + "\n" + file.etag()).getBytes(StandardCharsets.UTF_8));
            String suffix = HexFormat.of().formatHex(hash, 0, 6);
            return (base.length() > 80 ? base.substring(0, 80) : base) + "-" + suffix;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private byte[] bytes(Object value) {
        try {
            return json.writerWithDefaultPrettyPrinter().writeValueAsBytes(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
