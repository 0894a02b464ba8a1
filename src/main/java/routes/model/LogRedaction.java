package routes.model;

import java.util.regex.Pattern;

/**
 * Keeps email addresses out of log lines built from foreign text: SES error messages name the
 * refused address ("Email address is not verified… x@example.org"), and logs at INFO must not.
 */
public final class LogRedaction {

    private static final Pattern ADDRESS = Pattern.compile("[^\\s<>()\\[\\],;:\"']+@[^\\s<>()\\[\\],;:\"']+");

    private LogRedaction() {}

    /** The text with every address-like token replaced by {@code <address>}. */
    public static String withoutAddresses(String text) {
        return text == null ? null : ADDRESS.matcher(text).replaceAll("<address>");
    }
}
