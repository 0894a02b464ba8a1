package routes.webhooks;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import routes.model.StatusEvent;
import routes.webhooks.WebhookProperties.Subscriber;

class WebhookSubscribersTest {

    private final WebhookSubscribers subscribers = new WebhookSubscribers(new WebhookProperties(List.of(
            new Subscriber("all", "https://all.example", List.of("s1"), List.of(), List.of(), true),
            new Subscriber("spring", "https://spring.example", List.of("s2"), List.of(), List.of("spring-sale"), true),
            new Subscriber("bounces", "https://b.example", List.of("s3"), List.of("message.bounced"), List.of(), true),
            new Subscriber("off", "https://off.example", List.of("s4"), List.of(), List.of(), false)),
            List.of("callback-secret"), false, false, null, null, null));

    @Test
    void aTransactionalEventWithoutCampaignReachesOnlySubscribersWithoutACampaignFilter() {
        assertThat(ids(event("message.delivered", null))).containsExactly("all");
    }

    @Test
    void campaignAndTypeFiltersApplyAndDisabledSubscribersGetNothing() {
        assertThat(ids(event("message.delivered", "spring-sale"))).containsExactlyInAnyOrder("all", "spring");
        assertThat(ids(event("message.bounced", "autumn"))).containsExactlyInAnyOrder("all", "bounces");
    }

    private List<String> ids(StatusEvent event) {
        return subscribers.interestedIn(event).stream().map(Subscriber::id).toList();
    }

    private static StatusEvent event(String type, String campaignId) {
        return new StatusEvent("e1", type, "2026-11-22T10:00:00Z", "m1", campaignId, "a@example.org", "DELIVERED",
                Map.of(), Map.of());
    }
}
