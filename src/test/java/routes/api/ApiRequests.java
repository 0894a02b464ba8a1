package routes.api;

import org.springframework.http.HttpEntity;
import routes.api.client.invoker.ApiClient;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;

/** Requests to the HTTP API as a backend team sends them: JSON, with the local run's API key. */
public final class ApiRequests {

    /** The key the local profile and the tests configure (as its SHA-256 hash). */
    public static final String KEY = "local-dev-key";

    private ApiRequests() {}

    /** JSON headers with {@code key} as X-API-Key, or none when null. */
    public static HttpHeaders headers(String key) {
        HttpHeaders headers = new HttpHeaders();
        headers.setContentType(MediaType.APPLICATION_JSON);
        if (key != null) {
            headers.set("X-API-Key", key);
        }
        return headers;
    }

    /** The client generated from the contract, for the application on {@code port}, sending {@link #KEY}. */
    public static ApiClient generatedClient(int port) {
        ApiClient client = new ApiClient();
        client.updateBaseUri("http://localhost:" + port + "/api/v1");
        client.setRequestInterceptor(request -> request.header("X-API-Key", KEY));
        return client;
    }

    /** {@code body} (may be null) with the JSON headers and {@link #KEY}. */
    public static HttpEntity<String> withKey(String body) {
        return new HttpEntity<>(body, headers(KEY));
    }
}
