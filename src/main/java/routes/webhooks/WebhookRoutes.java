package routes.webhooks;

import org.apache.camel.CamelContext;
import org.apache.camel.builder.TemplatedRouteBuilder;
import org.springframework.stereotype.Component;

/**
 * One route per subscriber, made from the {@code webhook-subscriber} template on first use: each route
 * has its own circuit breaker EIP, so one dead endpoint opens only its own circuit.
 */
@Component
public class WebhookRoutes {

    static final String ROUTE_PREFIX = "webhook-subscriber-";

    private final CamelContext camel;
    private final WebhookCircuitMeters circuits;

    public WebhookRoutes(CamelContext camel, WebhookCircuitMeters circuits) {
        this.camel = camel;
        this.circuits = circuits;
    }

    /** The endpoint of the subscriber's route, creating the route if this is its first delivery. */
    public synchronized String endpointFor(WebhookDelivery delivery) {
        String routeId = ROUTE_PREFIX + delivery.subscriberId();
        if (camel.getRoute(routeId) == null) {
            TemplatedRouteBuilder.builder(camel, "webhook-subscriber").routeId(routeId)
                    .parameter("subscriberId", delivery.subscriberId()).add();
            circuits.track(delivery.subscriberId());
        }
        return "direct:" + routeId;
    }
}
