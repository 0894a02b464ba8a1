package routes.ops;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.springframework.stereotype.Component;

/**
 * The business meters, named once (docs/metrics.md). Every label comes from a closed set (an outcome,
 * a lane, an SES event type, a configured subscriber id): never an address or a campaign id, which would
 * give Prometheus one series per recipient.
 */
@Component
public class MailMetrics {

    /** Campaign callbacks are delivered under {@code callback-<host>}: one label for all of them keeps the set bounded. */
    private static final String CALLBACK_PREFIX = "callback-";
    private static final String CALLBACK = "callback";
    /** SES's event types (configuration set) and notification types (identity); anything else is "other". */
    private static final Set<String> SES_EVENT_TYPES = Set.of("Send", "Delivery", "Bounce", "Complaint", "Reject",
            "Open", "Click", "Rendering Failure", "DeliveryDelay", "Subscription");

    private final MeterRegistry registry;

    public MailMetrics(MeterRegistry registry) {
        this.registry = registry;
        // Every series of a closed set exists from the start at 0: an alert on increase() or a ratio sees
        // the first event, and a dashboard shows 0 rather than "no data".
        for (String outcome : List.of("sent", "failed", "suppressed", "throttled", "deferred")) {
            for (String lane : List.of("campaign", "transactional")) {
                emails(outcome, lane, 0);
            }
        }
        SES_EVENT_TYPES.forEach(this::feedbackCounter);
        feedbackLag();
        List.of("hard_bounce", "complaint", "unsubscribe", "soft_bounce_limit", "manual").forEach(this::suppressionCounter);
        List.of("delivered", "retry_scheduled", "dead_lettered").forEach(outcome -> webhookCounter(CALLBACK, outcome));
        sesTimer("SendRawEmail", "ok");
    }

    /** Recipients by what became of them: sent, failed, suppressed, throttled, deferred; lane campaign or transactional. */
    public void emails(String outcome, String lane, long count) {
        Counter counter = Counter.builder("mailroutes.emails").description("Recipients by outcome and lane")
                .tag("outcome", outcome).tag("lane", lane.toLowerCase(Locale.ROOT)).register(registry);
        if (count > 0) {
            counter.increment(count);
        }
    }

    /** One call to SES and how it ended: ok, or the refusal's class (throttled, permanent, daily_quota, …). */
    public void sesCall(String operation, String outcome, Duration took) {
        sesTimer(operation, outcome.toLowerCase(Locale.ROOT)).record(took);
    }

    private Timer sesTimer(String operation, String outcome) {
        return Timer.builder("mailroutes.ses.calls").description("SES API calls by operation and outcome")
                .tag("operation", operation).tag("outcome", outcome).register(registry);
    }

    /** An SES event read from the queue, and how long after SES's own timestamp. */
    public void feedbackEvent(String type, Duration lag) {
        feedbackCounter(SES_EVENT_TYPES.contains(type) ? type : "other").increment();
        feedbackLag().record(lag.isNegative() ? Duration.ZERO : lag);
    }

    private Counter feedbackCounter(String type) {
        return Counter.builder("mailroutes.feedback.events").description("SES events read, by type")
                .tag("type", type).register(registry);
    }

    private Timer feedbackLag() {
        return Timer.builder("mailroutes.feedback.lag").description("From the SES event's timestamp to its reading")
                .register(registry);
    }

    public void suppressionAdded(String reason) {
        suppressionCounter(reason.toLowerCase(Locale.ROOT)).increment();
    }

    private Counter suppressionCounter(String reason) {
        return Counter.builder("mailroutes.suppressions.added").description("Addresses added to the suppression list, by reason")
                .tag("reason", reason).register(registry);
    }

    /** A webhook delivery attempt's end: delivered, retry_scheduled or dead_lettered. */
    public void webhookDelivery(String subscriberId, String outcome) {
        webhookCounter(subscriberId.startsWith(CALLBACK_PREFIX) ? CALLBACK : subscriberId, outcome).increment();
    }

    private Counter webhookCounter(String subscriber, String outcome) {
        return Counter.builder("mailroutes.webhook.deliveries").description("Webhook deliveries by subscriber and outcome")
                .tag("subscriber", subscriber).tag("outcome", outcome).register(registry);
    }
}
