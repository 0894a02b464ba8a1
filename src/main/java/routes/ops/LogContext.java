package routes.ops;

import org.slf4j.MDC;
import org.springframework.stereotype.Component;

/**
 * Puts the campaign and message a step works on into the logging MDC, so every line of that recipient's
 * flow carries {@code campaignId} and {@code messageId} (never the address) next to Camel's
 * {@code camel.routeId}. Camel carries these keys across threads and clears them when the exchange is
 * done ({@code camel.main.mdc-logging-keys-pattern}).
 */
@Component
public class LogContext {

    public static final String CAMPAIGN_ID = "campaignId";
    public static final String MESSAGE_ID = "messageId";

    public void message(String campaignId, String messageId) {
        put(CAMPAIGN_ID, campaignId);
        put(MESSAGE_ID, messageId);
    }

    private static void put(String key, String value) {
        if (value == null) {
            MDC.remove(key);
        } else {
            MDC.put(key, value);
        }
    }
}
