package routes.webhooks;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.camel.CamelContext;
import org.apache.camel.Navigate;
import org.apache.camel.component.resilience4j.ResilienceProcessor;
import org.springframework.stereotype.Component;

/**
 * The circuit breaker state of each subscriber's route ({@code mailroutes.webhook.circuit.state}, by
 * subscriber and state; 1 for the current state, 0 for the others), read from the route's
 * {@link ResilienceProcessor} at every scrape, so each replica shows its own breakers. Only configured
 * (and runtime-registered) subscribers are tracked: campaign callbacks have one breaker per host, a set
 * without bound. A subscriber whose route does not exist yet (no delivery since start) is closed.
 */
@Component
public class WebhookCircuitMeters {

    private static final List<String> STATES = List.of("closed", "open", "half_open", "forced_open");

    private final CamelContext camel;
    private final MeterRegistry registry;
    private final Set<String> tracked = ConcurrentHashMap.newKeySet();

    public WebhookCircuitMeters(CamelContext camel, MeterRegistry registry, WebhookProperties properties) {
        this.camel = camel;
        this.registry = registry;
        properties.subscribers().forEach(subscriber -> track(subscriber.id()));
    }

    /** Exports the subscriber's circuit state from now on; callbacks ({@code callback-<host>}) are not tracked. */
    public void track(String subscriberId) {
        if (subscriberId.startsWith(WebhookSubscribers.CALLBACK_PREFIX) || !tracked.add(subscriberId)) {
            return;
        }
        for (String state : STATES) {
            Gauge.builder("mailroutes.webhook.circuit.state", () -> state.equals(state(subscriberId)) ? 1 : 0)
                    .description("Circuit breaker state of the subscriber's route: 1 for the current state")
                    .tag("subscriber", subscriberId).tag("state", state).register(registry);
        }
    }

    /** The tracked subscribers' circuit states on this replica, by subscriber id. */
    public SortedMap<String, String> states() {
        SortedMap<String, String> states = new TreeMap<>();
        tracked.forEach(subscriber -> states.put(subscriber, state(subscriber)));
        return states;
    }

    private String state(String subscriberId) {
        return Optional.ofNullable(camel.getRoute(WebhookRoutes.ROUTE_PREFIX + subscriberId))
                .flatMap(route -> breakerIn(route.navigate()))
                .map(ResilienceProcessor::getCircuitBreakerState).map(s -> s.toLowerCase(Locale.ROOT))
                .orElse("closed");
    }

    /** The route's one circuit breaker, wherever Camel's wrappers put it (the EIP's processor carries no id). */
    private static Optional<ResilienceProcessor> breakerIn(Navigate<?> node) {
        if (node == null || !node.hasNext()) {
            return Optional.empty();
        }
        for (Object child : node.next()) {
            if (child instanceof ResilienceProcessor breaker) {
                return Optional.of(breaker);
            }
            if (child instanceof Navigate<?> nested) {
                Optional<ResilienceProcessor> found = breakerIn(nested);
                if (found.isPresent()) {
                    return found;
                }
            }
        }
        return Optional.empty();
    }
}
