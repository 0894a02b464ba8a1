package routes.webhooks;

import org.apache.camel.component.http.HttpClientConfigurer;
import org.apache.hc.client5.http.impl.classic.HttpClientBuilder;
import org.springframework.stereotype.Component;

/**
 * The http component's client for webhook POSTs. HttpClient 5 by default retries a 503 or 429 once on
 * its own; the route's retry schedule and circuit breaker must see every attempt, so that is off.
 */
@Component("webhookHttpClient")
public class WebhookHttpClient implements HttpClientConfigurer {

    @Override
    public void configureHttpClient(HttpClientBuilder builder) {
        builder.disableAutomaticRetries();
    }
}
