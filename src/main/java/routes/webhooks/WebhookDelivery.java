package routes.webhooks;

/**
 * One event on its way to one subscriber: the unit of retry, of the durable retry queue and of the
 * webhook DLQ. The payload is the exact body that is signed and POSTed.
 *
 * @param url            target; for configured subscribers it is looked up again at delivery time
 * @param firstAttemptAt ISO-8601 instant of the first attempt, for the 24 h give-up rule
 */
public record WebhookDelivery(String subscriberId, String url, String eventId, String payload, String firstAttemptAt) {}
