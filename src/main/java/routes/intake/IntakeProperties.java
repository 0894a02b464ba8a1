package routes.intake;

import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * How campaign files are judged.
 *
 * @param maxInvalidRatio     share of invalid rows above which the whole file is rejected
 * @param maxFileSize         objects larger than this are rejected from their S3 size, before reading
 * @param manifestWait        how long a manifest waits for its CSV (and a CSV for its manifest) before rejection
 * @param maxColumns          CSV header columns allowed (each column is a template variable)
 * @param maxReportedProblems problems listed in one report; the counts stay exact beyond it
 * @param pollDelayMillis     pause between two listings of the inbox
 * @param maxRowLength        characters of one JSONL line, CSV record or JSON recipient object; read no further
 * @param maxValueLength      characters of one value or field name (JSON, JSONL template data, CSV field)
 * @param maxVariables        template variables of one recipient (CSV: columns besides {@code email})
 * @param maxRows             rows of one file; the duplicate check keeps 16 MB per million, so a 1 GB file
 *                            of short addresses (90 million rows) would not fit the heap
 */
@Validated
@ConfigurationProperties("mailroutes.intake")
public record IntakeProperties(
        @DecimalMin("0.0") @DecimalMax("1.0") double maxInvalidRatio,
        @NotNull DataSize maxFileSize,
        @NotNull Duration manifestWait,
        @Min(1) int maxColumns,
        @Min(0) int maxReportedProblems,
        @Min(100) long pollDelayMillis,
        @Min(1024) int maxRowLength,
        @Min(64) int maxValueLength,
        @Min(1) int maxVariables,
        @Min(1) long maxRows) {
}
