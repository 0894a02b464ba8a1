package routes.intake;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;
import org.apache.camel.component.http.HttpComponentConfigurer;
import org.apache.camel.component.http.HttpEndpointConfigurer;

/**
 * The form a campaign's {@code callbackUrl} must have: an absolute http(s) URL with a host, no user info,
 * no fragment, and no query parameter named like an option of Camel's http component. Delivery never
 * lets a URL set an option (WebhookRequest), so such a name can only be a probe: refused with the name.
 * Whether the scheme and the addresses are allowed is decided at delivery (WebhookTargetGuard).
 */
final class CallbackUrl {

    private static final int MAX_LENGTH = 2048;
    private static final HttpEndpointConfigurer ENDPOINT_OPTIONS = new HttpEndpointConfigurer();
    private static final HttpComponentConfigurer COMPONENT_OPTIONS = new HttpComponentConfigurer();

    private CallbackUrl() {
    }

    static Optional<String> problem(String url) {
        if (url.length() > MAX_LENGTH) {
            return Optional.of("longer than " + MAX_LENGTH + " characters");
        }
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            return Optional.of("not a valid URL: " + e.getReason());
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("https") && !scheme.equals("http")) {
            return Optional.of("must be an absolute http or https URL");
        }
        if (uri.getHost() == null) {
            return Optional.of("has no host");
        }
        if (uri.getRawUserInfo() != null) {
            return Optional.of("must not carry user info");
        }
        if (uri.getRawFragment() != null) {
            return Optional.of("must not have a fragment");
        }
        return uri.getRawQuery() == null ? Optional.empty() : optionIn(uri.getRawQuery());
    }

    private static Optional<String> optionIn(String query) {
        for (String parameter : query.split("&")) {
            String name;
            try {
                name = URLDecoder.decode(parameter.split("=", 2)[0], StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                return Optional.of("query is not URL-encoded");
            }
            String lower = name.toLowerCase(Locale.ROOT);
            if (ENDPOINT_OPTIONS.getOptionType(name, true) != null || COMPONENT_OPTIONS.getOptionType(name, true) != null
                    || lower.startsWith("httpclient.") || lower.startsWith("httpconnection.")) {
                return Optional.of("query parameter '" + name + "' is an option name of the HTTP client; rename it");
            }
        }
        return Optional.empty();
    }
}
