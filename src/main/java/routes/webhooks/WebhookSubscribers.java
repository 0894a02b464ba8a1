package routes.webhooks;

import java.net.URI;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;
import routes.model.StatusEvent;
import routes.webhooks.WebhookProperties.Subscriber;

/**
 * Who receives which event: the configured subscribers (plus any registered at runtime, e.g. by an
 * operator tool or a test) and, implicitly, a campaign's {@code callbackUrl}. Campaign callbacks are
 * grouped per target host ({@code callback-<host>}) so one dead customer endpoint trips one breaker.
 */
@Component
public class WebhookSubscribers {

    static final String CALLBACK_PREFIX = "callback-";

    private final Map<String, Subscriber> subscribers = new ConcurrentHashMap<>();
    private final List<String> callbackSecrets;

    public WebhookSubscribers(WebhookProperties properties) {
        properties.subscribers().forEach(this::register);
        this.callbackSecrets = properties.callbackSecrets();
    }

    public void register(Subscriber subscriber) {
        if (!subscriber.id().matches("[A-Za-z0-9-]+") || subscriber.id().startsWith(CALLBACK_PREFIX)) {
            throw new IllegalArgumentException("subscriber id '" + subscriber.id()
                    + "' must be letters, digits and '-' and not start with '" + CALLBACK_PREFIX + "'");
        }
        if (subscriber.secrets() == null || subscriber.secrets().isEmpty()) {
            throw new IllegalArgumentException("subscriber " + subscriber.id() + " needs at least one secret");
        }
        if (!subscriber.secrets().stream().allMatch(secret -> secret != null && secret.matches(WebhookSigner.SECRET))) {
            throw new IllegalArgumentException("subscriber " + subscriber.id() + ": " + WebhookSigner.SECRET_RULE);
        }
        subscribers.put(subscriber.id(), subscriber);
    }

    public Collection<Subscriber> all() {
        return subscribers.values();
    }

    /** The enabled configured subscribers whose filters let {@code event} through. */
    public List<Subscriber> interestedIn(StatusEvent event) {
        return subscribers.values().stream().filter(Subscriber::enabled)
                .filter(s -> s.eventTypes().isEmpty() || s.eventTypes().stream().anyMatch(t -> matches(t, event.type())))
                // a transactional email's event has no campaign: only unfiltered subscribers get it
                .filter(s -> s.campaigns().isEmpty() || (event.campaignId() != null && s.campaigns().contains(event.campaignId())))
                .toList();
    }

    /** The subscriber id a campaign callback URL is delivered under. */
    public static String callbackIdFor(String url) {
        try {
            URI uri = URI.create(url);
            String host = Optional.ofNullable(uri.getHost()).orElse("unknown");
            return CALLBACK_PREFIX + (host + (uri.getPort() < 0 ? "" : "-" + uri.getPort())).replaceAll("[^A-Za-z0-9-]", "-");
        } catch (IllegalArgumentException malformed) {
            // Delivered anyway, so the guard refuses it and the DLQ shows the campaign's bad URL.
            return CALLBACK_PREFIX + "invalid";
        }
    }

    /** Where a delivery goes now: a configured subscriber's current URL, a callback's own URL; empty if gone or disabled. */
    public Optional<String> urlFor(WebhookDelivery delivery) {
        if (delivery.subscriberId().startsWith(CALLBACK_PREFIX)) {
            return Optional.of(delivery.url());
        }
        return Optional.ofNullable(subscribers.get(delivery.subscriberId())).filter(Subscriber::enabled).map(Subscriber::url);
    }

    public List<String> secretsFor(String subscriberId) {
        if (subscriberId.startsWith(CALLBACK_PREFIX)) {
            return callbackSecrets;
        }
        return Optional.ofNullable(subscribers.get(subscriberId)).map(Subscriber::secrets).orElse(List.of());
    }

    private static boolean matches(String filter, String type) {
        return filter.endsWith(".*") ? type.startsWith(filter.substring(0, filter.length() - 1)) : filter.equals(type);
    }
}
