package routes.launch;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Pattern;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.hibernate.validator.constraints.time.DurationMax;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How campaigns are launched onto the send queue.
 *
 * @param cron               Quartz cron of the launcher (default every 15 s)
 * @param maxChunkRecipients recipients per send-queue message
 * @param maxChunkBytes      JSON bytes per send-queue message
 * @param maxBatchBytes      JSON bytes per SendMessageBatch call (SQS limits the batch payload as a whole)
 * @param staleAfter         a LAUNCHING campaign whose launcher reported no progress for this long is resumed;
 *                           at most 3 minutes, so the resumed launch repeats its last batch within the
 *                           launch queue's 5-minute deduplication interval
 * @param recurring          campaigns created afresh on every firing of their cron
 */
@Validated
@ConfigurationProperties("mailroutes.launch")
public record LaunchProperties(
        @NotBlank String cron,
        @Min(1) @Max(500) int maxChunkRecipients,
        @Min(1024) @Max(262144) int maxChunkBytes,
        @Min(1024) @DefaultValue("262144") int maxBatchBytes,
        @NotNull @DurationMax(minutes = 3) Duration staleAfter,
        @Valid @NotNull @DefaultValue List<Recurring> recurring) {

    /**
     * A recurring campaign: on every firing of {@code cron}, the CSV at {@code sourceKey} (outside
     * {@code inbox/}, e.g. {@code lists/weekly.csv}) becomes a new campaign {@code <name>-<timestamp>}.
     *
     * @param templateByWeekOfMonth week of month (1..5) → template, overriding {@code template}
     */
    public record Recurring(
            @NotBlank @Pattern(regexp = "[A-Za-z0-9_-]{1,60}") String name,
            @NotBlank String cron,
            @NotBlank String sourceKey,
            @NotBlank String template,
            @NotNull @DefaultValue Map<Integer, String> templateByWeekOfMonth,
            String from,
            String subject) {}
}
