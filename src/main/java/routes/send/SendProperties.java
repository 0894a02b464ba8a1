package routes.send;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * {@code mailroutes.send.*}: the send flow's tunables. Rates and the 24-hour budget are cluster
 * totals; each live replica takes its share. See docs/send.md.
 */
@Validated
@ConfigurationProperties("mailroutes.send")
public record SendProperties(
        @Min(1) int consumers,
        @Min(1) int transactionalConsumers,
        @Min(10) int visibilityTimeoutSeconds,
        @NotNull OnAmbiguous onAmbiguous,
        @Positive double maxRate,
        @Min(1) long maxPer24h,
        boolean useSesQuota,
        @Min(1000) long shareRefreshMillis,
        @NotBlank String defaultFrom,
        @NotBlank String unsubscribeBaseUrl,
        @NotBlank String unsubscribeMailto,
        @NotNull Duration templateCacheTtl,
        @NotNull Duration statusCacheTtl,
        @Min(1) int maxAttempts,
        @NotNull Duration retryBaseDelay,
        @Min(1) int maxThrottledRetries,
        @Min(0) int pausedRecheckSeconds,
        @Min(100) long counterFlushMillis,
        @NotNull Duration quotaRecheck,
        @Min(1) int parallelRecipients,
        @Valid @NotNull @DefaultValue TemplateLimits template) {

    /**
     * {@code mailroutes.send.template.*}: what one recipient's rendering (subject, HTML and text together)
     * may take; past any of them that recipient is FAILED with {@code TemplateLimit}.
     *
     * @param maxForeachIterations #foreach iterations in all three templates together
     * @param maxRenderTime        wall-clock time for the three templates together
     * @param maxOutputChars       characters written by the three templates together
     */
    public record TemplateLimits(
            @Min(1) int maxForeachIterations,
            @NotNull Duration maxRenderTime,
            @Min(1) int maxOutputChars) {}

    /** What to do with a row found SENDING: an earlier attempt died before SES answered (DESIGN §3). */
    public enum OnAmbiguous { SKIP, RESEND }
}
