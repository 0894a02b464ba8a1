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
        @Min(1) int consumers,
        @Min(10) int visibilityTimeoutSeconds,
        @NotNull @DefaultValue List<String> allowedTopicArns,
        boolean acceptRawDelivery,
        @NotBlank String signingCertUrlPattern,
        @NotNull Duration signingCertFetchTimeout,
        @NotNull Duration correlationMemory,
        @NotNull Duration counterFlushInterval,
        @Min(1) int analyticsBatchSize,
        @NotNull Duration analyticsInterval,
        @NotNull Duration completionScanInterval,
        @NotNull Duration completeAfter,
        @Valid @NotNull @DefaultValue Suppression suppression,
        @Valid @NotNull @DefaultValue Reputation reputation) {

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
            boolean hardBounce,
            boolean complaint,
            boolean unsubscribe,
            boolean softBounceRetry,
            @NotNull Duration softBounceRetryDelay,
            @Min(1) int softBounceLimit,
            @NotNull Duration softBounceWindow,
            boolean simulatorAddresses) {}

    /**
     * Reputation guard. A campaign: its rates since its last resume, judged once at least {@code minSends} mails
     * are counted. The account (all mail): its rates over the last {@code accountWindow} (whole UTC days), judged
     * from {@code accountMinSends} sends; the defaults are SES's review thresholds.
     */
    public record Reputation(
            @Min(1) int minSends,
            @DecimalMin("0") @DecimalMax("1") double bounceRate,
            @DecimalMin("0") @DecimalMax("1") double complaintRate,
            @NotNull Duration accountWindow,
            @Min(1) int accountMinSends,
            @DecimalMin("0") @DecimalMax("1") double accountBounceRate,
            @DecimalMin("0") @DecimalMax("1") double accountComplaintRate) {}

    /** The SQS delay of the soft-bounce retry in seconds, capped at SQS's 900 s maximum. */
    public int retryDelaySeconds() {
        return (int) Math.min(900, suppression.softBounceRetryDelay().toSeconds());
    }
}
