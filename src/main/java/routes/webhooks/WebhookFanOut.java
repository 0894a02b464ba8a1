package routes.webhooks;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.springframework.stereotype.Component;
import routes.model.StatusEvent;
import routes.store.Campaigns;

/** Turns one status event into one delivery per interested subscriber and the campaign's callback URL. */
@Component
public class WebhookFanOut {

    private final WebhookSubscribers subscribers;
    private final Campaigns campaigns;
    private final ObjectMapper json;
    private final Clock clock;

    public WebhookFanOut(WebhookSubscribers subscribers, Campaigns campaigns, ObjectMapper json, Clock clock) {
        this.subscribers = subscribers;
        this.campaigns = campaigns;
        this.json = json;
        this.clock = clock;
    }

    /** @param payload the event exactly as it came off the queue; it is the body every subscriber gets */
    public List<WebhookDelivery> deliveries(String payload) throws JsonProcessingException {
        StatusEvent event = json.readValue(payload, StatusEvent.class);
        String now = clock.instant().toString();
        List<WebhookDelivery> deliveries = new ArrayList<>();
        subscribers.interestedIn(event).forEach(s -> deliveries.add(new WebhookDelivery(s.id(), s.url(), event.id(), payload, now)));
        if (event.campaignId() != null) {
            campaigns.find(event.campaignId()).map(Campaigns.Campaign::callbackUrl).filter(url -> !url.isBlank())
                    .ifPresent(url -> deliveries.add(
                            new WebhookDelivery(WebhookSubscribers.callbackIdFor(url), url, event.id(), payload, now)));
        }
        return deliveries;
    }
}
