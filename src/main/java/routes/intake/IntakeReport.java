package routes.intake;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code reports/<file>.report.json}: the outcome of one campaign file, its counts and every problem
 * (up to {@code mailroutes.intake.max-reported-problems}; the counts stay exact beyond it).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class IntakeReport {

    public enum Outcome { ACCEPTED, SCHEDULED, REJECTED, DUPLICATE }

    /** Rows read, valid (will be sent), invalid (reported and skipped), duplicates (reported and skipped). */
    public record Counts(long rows, long valid, long invalid, long duplicates) {}

    private final IntakeFile source;
    private final int problemLimit;
    private final List<Problem> problems = new ArrayList<>();
    private long problemCount;
    private long rows;
    private long valid;
    private long invalid;
    private long duplicates;
    private Outcome outcome;
    private String reason;
    private String campaignId;
    private Instant sendAt;
    private CampaignDefinition definition;

    public IntakeReport(IntakeFile source, int problemLimit) {
        this.source = source;
        this.problemLimit = problemLimit;
    }

    public String getFile() {
        return source.key();
    }

    public String getRecipientsFile() {
        return source.paired() ? source.recipientsKey() : null;
    }

    public String getEtag() {
        return source.etag();
    }

    public FileFormat getFormat() {
        return source.format() == FileFormat.MANIFEST ? FileFormat.CSV : source.format();
    }

    public Outcome getOutcome() {
        return outcome;
    }

    public String getReason() {
        return reason;
    }

    public String getCampaignId() {
        return campaignId;
    }

    public Instant getSendAt() {
        return sendAt;
    }

    public Counts getCounts() {
        return new Counts(rows, valid, invalid, duplicates);
    }

    public List<Problem> getProblems() {
        return problems;
    }

    /** Problems found beyond the listing limit, or null when all are listed. */
    public Long getProblemsNotListed() {
        return problemCount > problems.size() ? problemCount - problems.size() : null;
    }

    @JsonIgnore
    public IntakeFile source() {
        return source;
    }

    @JsonIgnore
    public CampaignDefinition definition() {
        return definition;
    }

    /** Whether the file becomes a campaign (accepted now or scheduled). */
    @JsonIgnore
    public boolean isAcceptable() {
        return outcome == Outcome.ACCEPTED || outcome == Outcome.SCHEDULED;
    }

    void problem(Problem problem) {
        problemCount++;
        if (problems.size() < problemLimit) {
            problems.add(problem);
        }
    }

    void row(boolean ok) {
        rows++;
        if (ok) {
            valid++;
        } else {
            invalid++;
        }
    }

    void duplicates(long count) {
        this.duplicates = count;
        this.invalid -= count;
    }

    long valid() {
        return valid;
    }

    long invalid() {
        return invalid;
    }

    void campaign(CampaignDefinition definition) {
        this.definition = definition;
        this.campaignId = definition.campaignId();
    }

    void decide(Outcome outcome, String reason, Instant sendAt) {
        this.outcome = outcome;
        this.reason = reason;
        this.sendAt = sendAt;
    }
}
