package routes.send;

import java.util.Locale;
import java.util.Set;
import org.springframework.stereotype.Component;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;

/** Sorts what SES (or the way to it) answered into what the send flow does about it. */
@Component
public class SesErrorClassifier {

    /** The send flow's reaction to a failed SES call. */
    public enum Kind {
        /** Maximum send rate exceeded: never counted as sent; slow down and retry. */
        THROTTLED,
        /**
         * The account's 24-hour quota is used up (also answered as {@code Throttling}): retrying within
         * seconds cannot help; the recipients wait until the window frees capacity.
         */
        DAILY_QUOTA,
        /** SES will never take this mail: FAILED with the code. */
        PERMANENT,
        /** Sending is paused for the account or the configuration set: pause campaigns, alert. */
        SENDING_PAUSED,
        /** Anything else (5xx, network, unknown): retry with backoff, then leave the chunk to SQS. */
        TRANSIENT
    }

    private static final Set<String> PERMANENT = Set.of("MessageRejected", "MailFromDomainNotVerified",
            "InvalidParameterValue", "TemplateDoesNotExist", "ConfigurationSetDoesNotExist");
    private static final Set<String> PAUSED = Set.of("AccountSendingPaused", "ConfigurationSetSendingPaused");

    /** For the send flow's error handlers ({@code onWhen}): whether SES's refusal is of this kind. */
    public boolean is(Throwable failure, Kind kind) {
        return classify(failure) == kind;
    }

    public Kind classify(Throwable failure) {
        String code = code(failure);
        if (code == null) {
            return Kind.TRANSIENT;
        }
        if (code.equals("Throttling") || code.equals("ThrottlingException")) {
            return isDailyQuota(failure) ? Kind.DAILY_QUOTA : Kind.THROTTLED;
        }
        String bare = code.endsWith("Exception") ? code.substring(0, code.length() - "Exception".length()) : code;
        if (PERMANENT.contains(bare)) {
            return Kind.PERMANENT;
        }
        return PAUSED.contains(bare) ? Kind.SENDING_PAUSED : Kind.TRANSIENT;
    }

    /** SES words both limits as Throttling; only the message tells "Daily message quota exceeded." apart. */
    private static boolean isDailyQuota(Throwable failure) {
        AwsErrorDetails error = error(failure);
        return error != null && error.errorMessage() != null
                && error.errorMessage().toLowerCase(Locale.ROOT).contains("daily message quota");
    }

    /** The AWS error code in the failure or its causes, or null for a failure SES did not answer. */
    public static String code(Throwable failure) {
        AwsErrorDetails error = error(failure);
        return error == null ? null : error.errorCode();
    }

    private static AwsErrorDetails error(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof AwsServiceException aws && aws.awsErrorDetails() != null) {
                return aws.awsErrorDetails();
            }
        }
        return null;
    }
}
