package routes.feedback;

import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The feedback flow's settings ({@code mailroutes.feedback.*}); see docs/feedback.md.
 *
 * @param consumers          concurrent SQS consumers per replica on the ses-events queue
 * @param visibilityTimeoutSeconds SQS visibility of a received event, extended while it is in work
 * @param allowedTopicArns   SNS topics whose envelopes are processed; empty = the provisioned ses-events topic
 * @param acceptRawDelivery  whether bodies without an SNS envelope (raw message delivery) are processed; they
 *                           carry no signature, so with this on the queue policy is the only guard
 * @param signingCertUrlPattern regular expression the whole {@code SigningCertURL} of an envelope must match
 *                           before it is fetched: https on an SNS host of AWS by default
 * @param signingCertFetchTimeout connect and response timeout of that one fetch per certificate
 * @param counterFlushInterval how often aggregated campaign counters are written
 * @param analyticsBatchSize events per analytics file
 * @param analyticsInterval  longest time an event waits for its analytics file
 * @param completionScanInterval how often SENT campaigns are checked for completion
 * @param completeAfter      a SENT campaign is COMPLETED this long after it was SENT, settled or not
 */
@Validated
@ConfigurationProperties("mailroutes.feedback")
public record FeedbackProperties(
        @Min(1) @DefaultValue("32") int consumers,
        @Min(10) @DefaultValue("60") int visibilityTimeoutSeconds,
        @NotNull @DefaultValue List<String> allowedTopicArns,
        @DefaultValue("false") boolean acceptRawDelivery,
        @NotBlank @DefaultValue(DEFAULT_SIGNING_CERT_URL_PATTERN) String signingCertUrlPattern,
        @NotNull @DefaultValue("5s") Duration signingCertFetchTimeout,
        @NotNull @DefaultValue("5s") Duration counterFlushInterval,
        @Min(1) @DefaultValue("1000") int analyticsBatchSize,
        @NotNull @DefaultValue("60s") Duration analyticsInterval,
        @NotNull @DefaultValue("5m") Duration completionScanInterval,
        @NotNull @DefaultValue("72h") Duration completeAfter,
        @Valid @NotNull @DefaultValue Suppression suppression,
        @Valid @NotNull @DefaultValue Reputation reputation) {

    /** The certificates SNS signs with, as AWS serves them: {@code https://sns.<region>.amazonaws.com[.cn]/SimpleNotificationService-<hex>.pem}. */
    public static final String DEFAULT_SIGNING_CERT_URL_PATTERN =
            "https://sns\\.[a-z0-9-]+\\.amazonaws\\.com(\\.cn)?/SimpleNotificationService-[0-9a-f]+\\.pem";

    public FeedbackProperties {
        try {
            Pattern.compile(signingCertUrlPattern == null ? "" : signingCertUrlPattern);
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException("mailroutes.feedback.signing-cert-url-pattern is not a regular expression: "
                    + e.getMessage(), e);
        }
    }

    /**
     * DESIGN §4 suppression policy.
     *
     * @param softBounceRetryDelay delay of the one retry after a transient bounce (SQS allows at most 15 min)
     * @param simulatorAddresses   whether SES mailbox-simulator addresses may enter the list: off in production
     *                             (DESIGN §4: they never do, as with SES's own list), on in the local profile so
     *                             that bounce@simulator shows the suppression path end to end
     */
    public record Suppression(
            @DefaultValue("true") boolean hardBounce,
            @DefaultValue("true") boolean complaint,
            @DefaultValue("true") boolean unsubscribe,
            @DefaultValue("true") boolean softBounceRetry,
            @NotNull @DefaultValue("15m") Duration softBounceRetryDelay,
            @Min(1) @DefaultValue("3") int softBounceLimit,
            @NotNull @DefaultValue("30d") Duration softBounceWindow,
            @DefaultValue("false") boolean simulatorAddresses) {}

    /**
     * Reputation guard. A campaign: its rates since its last resume, judged once at least {@code minSends} mails
     * are counted. The account (all mail): its rates over the last {@code accountWindow} (whole UTC days), judged
     * from {@code accountMinSends} sends; the defaults are SES's review thresholds.
     */
    public record Reputation(
            @Min(1) @DefaultValue("20") int minSends,
            @DecimalMin("0") @DecimalMax("1") @DefaultValue("0.05") double bounceRate,
            @DecimalMin("0") @DecimalMax("1") @DefaultValue("0.001") double complaintRate,
            @NotNull @DefaultValue("7d") Duration accountWindow,
            @Min(1) @DefaultValue("1000") int accountMinSends,
            @DecimalMin("0") @DecimalMax("1") @DefaultValue("0.05") double accountBounceRate,
            @DecimalMin("0") @DecimalMax("1") @DefaultValue("0.001") double accountComplaintRate) {}

    /** The SQS delay of the soft-bounce retry in seconds, capped at SQS's 900 s maximum. */
    public int retryDelaySeconds() {
        return (int) Math.min(900, suppression.softBounceRetryDelay().toSeconds());
    }
}
