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
        @Min(1) @DefaultValue("4") int consumers,
        @Min(1) @DefaultValue("16") int transactionalConsumers,
        @Min(10) @DefaultValue("60") int visibilityTimeoutSeconds,
        @NotNull @DefaultValue("SKIP") OnAmbiguous onAmbiguous,
        @Positive @DefaultValue("14") double maxRate,
        @Min(1) @DefaultValue("50000") long maxPer24h,
        @DefaultValue("false") boolean useSesQuota,
        @Min(1000) @DefaultValue("10000") long shareRefreshMillis,
        @NotBlank @DefaultValue("noreply@mailroutes.local") String defaultFrom,
        @NotBlank @DefaultValue("https://mailroutes.local") String unsubscribeBaseUrl,
        @NotBlank @DefaultValue("unsubscribe@mailroutes.local") String unsubscribeMailto,
        @NotNull @DefaultValue("30s") Duration templateCacheTtl,
        @NotNull @DefaultValue("500ms") Duration statusCacheTtl,
        @Min(1) @DefaultValue("4") int maxAttempts,
        @NotNull @DefaultValue("200ms") Duration retryBaseDelay,
        @Min(1) @DefaultValue("200") int maxThrottledRetries,
        @Min(0) @DefaultValue("10") int pausedRecheckSeconds,
        @Min(100) @DefaultValue("1000") long counterFlushMillis,
        @NotNull @DefaultValue("5m") Duration quotaRecheck,
        @Min(1) @DefaultValue("48") int parallelRecipients,
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
            @Min(1) @DefaultValue("10000") int maxForeachIterations,
            @NotNull @DefaultValue("2s") Duration maxRenderTime,
            @Min(1) @DefaultValue("1000000") int maxOutputChars) {}

    /** What to do with a row found SENDING: an earlier attempt died before SES answered (DESIGN §3). */
    public enum OnAmbiguous { SKIP, RESEND }
}
