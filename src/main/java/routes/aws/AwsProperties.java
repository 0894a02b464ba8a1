package routes.aws;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import java.net.URI;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Where the AWS resources live, and how long per-message data stays in them ({@code retention}: the
 * DynamoDB TTL written on every messages row, seeds 001/004 keep it 90 days), and how long each readiness
 * check may wait for its service ({@code healthTimeout}, one call with the SDK's retries inside). Production leaves {@code endpoints} empty and takes credentials
 * from the default provider chain; the local run and the tests point every service at the embedded AWS.
 */
@Validated
@ConfigurationProperties("mailroutes.aws")
public record AwsProperties(
        @NotBlank String region,
        @NotNull @DefaultValue Endpoints endpoints,
        @NotNull String tablePrefix,
        @NotBlank String bucket,
        @Valid @NotNull @DefaultValue Queues queues,
        @Valid @NotNull @DefaultValue Topics topics,
        @NotBlank String configurationSet,
        @Min(1) int maxReceiveCount,
        @Min(1) int maxConnections,
        @NotNull Duration retention,
        @NotNull Duration acknowledgeInterval,
        boolean provision,
        @NotNull Duration healthTimeout) {

    /** Endpoint overrides per service; null means the regional AWS endpoint. */
    public record Endpoints(URI s3, URI sqs, URI sns, URI ses, URI dynamodb) {}

    /**
     * Queue names; every queue has a dead-letter queue named {@code <name>-dlq} ({@code <base>-dlq.fifo}
     * for a FIFO queue).
     *
     * @param launch the FIFO queue a launch enqueues chunks on: its deduplication ids let a resumed
     *               launch repeat its last SendMessageBatch without a chunk arriving twice
     * @param send   the standard queue of chunks enqueued again with a delay (a paused campaign's
     *               remainder, soft-bounce retries), which a FIFO queue cannot hold back per message
     * @param analytics the feedback flow's analytics lines until the file holding them is in S3
     */
    public record Queues(
            @NotBlank @Pattern(regexp = ".+\\.fifo", message = "must name a FIFO queue (ending in .fifo)")
            String launch,
            @NotBlank String send,
            @NotBlank String sesEvents,
            @NotBlank String notifications,
            @NotBlank String transactional,
            @NotBlank String webhooks,
            @NotBlank String analytics) {}

    public record Topics(
            @NotBlank String sesEvents,
            @NotBlank String status,
            @NotBlank String alerts) {}

    private static final String FIFO = ".fifo";

    public String table(String name) {
        return tablePrefix + name;
    }

    public static String deadLetterQueue(String queue) {
        return isFifo(queue) ? queue.substring(0, queue.length() - FIFO.length()) + "-dlq" + FIFO : queue + "-dlq";
    }

    public static boolean isFifo(String queue) {
        return queue.endsWith(FIFO);
    }
}
