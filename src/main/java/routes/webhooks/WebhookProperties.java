package routes.webhooks;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Webhook delivery ({@code mailroutes.webhooks.*}). Subscribers come from configuration; a campaign's
 * {@code callbackUrl} is a further, implicit subscriber signed with {@code callbackSecrets}, which are
 * therefore required: without them a callback would go out with an empty signature.
 *
 * @param allowPrivateTargets false in production: loopback, link-local and private-range targets are refused
 * @param allowHttp           false in production: only https targets; the local run and the tests call
 *                            plain-http receivers on loopback
 */
@Validated
@ConfigurationProperties("mailroutes.webhooks")
public record WebhookProperties(
        @Valid @NotNull @DefaultValue List<Subscriber> subscribers,
        @NotEmpty List<@NotNull @Pattern(regexp = WebhookSigner.SECRET, message = WebhookSigner.SECRET_RULE) String> callbackSecrets,
        boolean allowPrivateTargets,
        boolean allowHttp,
        @Valid @NotNull @DefaultValue Response response,
        @Valid @NotNull @DefaultValue Retry retry,
        @Valid @NotNull @DefaultValue Circuit circuit) {

    /**
     * @param secrets    every active secret signs (rotation: add the new one, later drop the old one)
     * @param eventTypes event types to deliver ({@code message.delivered}, {@code message.*}); empty = all
     * @param campaigns  campaign ids to deliver; empty = all
     */
    public record Subscriber(
            @NotBlank @Pattern(regexp = "[A-Za-z0-9-]+", message = "letters, digits and '-' only") String id,
            @NotBlank String url,
            @NotEmpty List<@NotNull @Pattern(regexp = WebhookSigner.SECRET, message = WebhookSigner.SECRET_RULE) String> secrets,
            @NotNull @DefaultValue List<String> eventTypes,
            @NotNull @DefaultValue List<String> campaigns,
            @DefaultValue("true") boolean enabled) {}

    /**
     * What a subscriber's answer may cost us: the whole exchange ends by {@code deadline} (a response
     * that drips slower is cut and counts as a transient failure), at most {@code maxBytes} of a
     * body are read (nobody uses them; an error body only explains the status), and a connection
     * that stays silent for {@code socketTimeout} is given up.
     */
    public record Response(
            @NotNull Duration deadline,
            @Min(0) int maxBytes,
            @NotNull Duration socketTimeout) {}

    /**
     * In-process redelivery (initial delay doubling {@code inProcessAttempts} times), then durable
     * retries through delayed SQS messages (delay doubling from {@code durableDelaySeconds}, at most
     * 900 s, the SQS limit) until {@code giveUpAfterSeconds} since the first attempt.
     */
    public record Retry(
            @Min(1) long initialDelayMs,
            @Min(0) int inProcessAttempts,
            @Min(0) int durableDelaySeconds,
            @Min(1) long giveUpAfterSeconds) {}

    /** One resilience4j circuit breaker per subscriber route, all with these settings. */
    public record Circuit(
            @Min(1) int failureRateThreshold,
            @Min(1) int minimumNumberOfCalls,
            @Min(1) int slidingWindowSize,
            @Min(1) int waitDurationInOpenState) {}
}
