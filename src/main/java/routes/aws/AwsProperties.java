package routes.aws;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.net.URI;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Where the AWS resources live. Production leaves {@code endpoints} empty and takes credentials
 * from the default provider chain; the local run and the tests point every service at the embedded AWS.
 */
@Validated
@ConfigurationProperties("mailroutes.aws")
public record AwsProperties(
        @NotBlank @DefaultValue("us-east-1") String region,
        @NotNull @DefaultValue Endpoints endpoints,
        @NotNull @DefaultValue("mailroutes-") String tablePrefix,
        @NotBlank @DefaultValue("mailroutes-campaigns") String bucket,
        @Valid @NotNull @DefaultValue Queues queues,
        @Valid @NotNull @DefaultValue Topics topics,
        @NotBlank @DefaultValue("mailroutes") String configurationSet,
        @Min(1) @DefaultValue("5") int maxReceiveCount,
        @Min(1) @DefaultValue("64") int maxConnections,
        @DefaultValue("false") boolean provision) {

    /** Endpoint overrides per service; null means the regional AWS endpoint. */
    public record Endpoints(URI s3, URI sqs, URI sns, URI ses, URI dynamodb) {}

    /** Queue names; every queue has a dead-letter queue named {@code <name>-dlq}. */
    public record Queues(
            @NotBlank @DefaultValue("mailroutes-send") String send,
            @NotBlank @DefaultValue("mailroutes-ses-events") String sesEvents,
            @NotBlank @DefaultValue("mailroutes-notifications") String notifications,
            @NotBlank @DefaultValue("mailroutes-transactional") String transactional,
            @NotBlank @DefaultValue("mailroutes-webhooks") String webhooks) {}

    public record Topics(
            @NotBlank @DefaultValue("mailroutes-ses-events") String sesEvents,
            @NotBlank @DefaultValue("mailroutes-status") String status,
            @NotBlank @DefaultValue("mailroutes-alerts") String alerts) {}

    public String table(String name) {
        return tablePrefix + name;
    }

    public static String deadLetterQueue(String queue) {
        return queue + "-dlq";
    }
}
