package routes.webhooks;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.springframework.stereotype.Component;
import routes.model.StatusEvent;
import routes.store.Campaigns;
import routes.store.RecentReads;

/**
 * Turns one status event into one delivery per interested subscriber and the campaign's callback URL.
 * The callback URL is set when the campaign is registered; it is kept here for a minute per campaign,
 * so a large campaign's stream of events does not read its campaign row once per event.
 */
@Component
public class WebhookFanOut {

    private static final Duration CALLBACK_TTL = Duration.ofMinutes(1);

    private final WebhookSubscribers subscribers;
    private final Campaigns campaigns;
    private final ObjectMapper json;
    private final Clock clock;
    private final RecentReads<Optional<String>> callbackUrls;

    public WebhookFanOut(WebhookSubscribers subscribers, Campaigns campaigns, ObjectMapper json, Clock clock) {
        this.subscribers = subscribers;
        this.campaigns = campaigns;
        this.json = json;
        this.clock = clock;
        this.callbackUrls = new RecentReads<>(CALLBACK_TTL, clock);
    }

    /** @param payload the event exactly as it came off the queue; it is the body every subscriber gets */
    public List<WebhookDelivery> deliveries(String payload) throws JsonProcessingException {
        StatusEvent event = json.readValue(payload, StatusEvent.class);
        String now = clock.instant().toString();
        List<WebhookDelivery> deliveries = new ArrayList<>();
        subscribers.interestedIn(event).forEach(s -> deliveries.add(new WebhookDelivery(s.id(), s.url(), event.id(), payload, now)));
        if (event.campaignId() != null) {
            callbackUrl(event.campaignId()).ifPresent(url -> deliveries.add(
                    new WebhookDelivery(WebhookSubscribers.callbackIdFor(url), url, event.id(), payload, now)));
        }
        return deliveries;
    }

    private Optional<String> callbackUrl(String campaignId) {
        return callbackUrls.get(campaignId,
                id -> campaigns.find(id).map(Campaigns.Campaign::callbackUrl).filter(url -> !url.isBlank()));
    }
}
