package routes.webhooks;

import org.apache.camel.component.http.HttpClientConfigurer;
import org.apache.hc.client5.http.impl.classic.HttpClientBuilder;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManager;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.io.SocketConfig;
import org.apache.hc.core5.util.Timeout;
import org.springframework.stereotype.Component;

/**
 * The http component's client for webhook POSTs ({@code camel.component.http.http-client-configurer}).
 * <ul>
 * <li>Its connections resolve names through {@link WebhookTargetGuard}, so the address guard judges
 * the address actually connected to. The component's own connection manager has no resolver to set,
 * hence one of ours, shared by every webhook endpoint, with the socket timeout of
 * {@code mailroutes.webhooks.response.socket-timeout}.</li>
 * <li>{@link WebhookResponseLimits} bounds every exchange in time and every response body in size.</li>
 * <li>HttpClient 5 by default retries a 503 or 429 once on its own; the route's retry schedule and
 * circuit breaker must see every attempt, so that is off.</li>
 * </ul>
 */
@Component("webhookHttpClient")
public class WebhookHttpClient implements HttpClientConfigurer, AutoCloseable {

    private final PoolingHttpClientConnectionManager connections;
    private final WebhookResponseLimits limits;

    public WebhookHttpClient(WebhookTargetGuard guard, WebhookProperties properties) {
        this.connections = PoolingHttpClientConnectionManagerBuilder.create()
                .setDnsResolver(guard)
                .setDefaultSocketConfig(SocketConfig.custom().setSoTimeout(Timeout.of(properties.response().socketTimeout())).build())
                .setMaxConnTotal(200)
                .setMaxConnPerRoute(20)
                .build();
        this.limits = new WebhookResponseLimits(properties.response());
    }

    @Override
    public void configureHttpClient(HttpClientBuilder builder) {
        builder.disableAutomaticRetries()
                .setConnectionManager(connections)
                .setConnectionManagerShared(true)
                .addExecInterceptorFirst("webhook-response-limits", limits);
    }

    @Override
    public void close() {
        limits.close();
        connections.close();
    }
}
