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

    private final CamelContext camel;

    public WebhookRoutes(CamelContext camel) {
        this.camel = camel;
    }

    /** The endpoint of the subscriber's route, creating the route if this is its first delivery. */
    public synchronized String endpointFor(WebhookDelivery delivery) {
        String routeId = "webhook-subscriber-" + delivery.subscriberId();
        if (camel.getRoute(routeId) == null) {
            TemplatedRouteBuilder.builder(camel, "webhook-subscriber").routeId(routeId)
                    .parameter("subscriberId", delivery.subscriberId()).add();
        }
        return "direct:" + routeId;
    }
}
