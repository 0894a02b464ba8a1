package routes.api;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.camel.Exchange;
import org.apache.camel.Header;
import org.apache.camel.support.ExchangeHelper;
import org.springframework.stereotype.Component;

/**
 * {@code X-API-Key} authentication against configured SHA-256 hashes (constant-time comparison over
 * every hash), the scope the contract names for the operation, and each key's limit of requests per second
 * (per replica).
 */
@Component
public class ApiKeys {

    private final List<ApiProperties.Key> keys;
    private final List<byte[]> hashes;
    private final int defaultRequestsPerSecond;
    private final ApiContract contract;
    private final Clock clock;
    private final Map<String, Window> windows = new ConcurrentHashMap<>();

    private record Window(long second, AtomicLong count) {}

    /** A key that passed, with what is left of its second. */
    public record Admitted(ApiProperties.Key key, int limit, long remaining) {}

    public ApiKeys(ApiProperties properties, ApiContract contract, Clock clock) {
        this.keys = properties.keys();
        this.hashes = keys.stream().map(k -> HexFormat.of().parseHex(k.hash())).toList();
        this.defaultRequestsPerSecond = properties.requestsPerSecond();
        this.contract = contract;
        this.clock = clock;
        Set<String> ids = new HashSet<>();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < keys.size(); i++) {
            if (!ids.add(keys.get(i).id()) || !seen.add(keys.get(i).hash())) {
                throw new IllegalStateException("mailroutes.api.keys[" + i + "]: id and hash must differ from every other key's");
            }
        }
    }

    /**
     * The api-keyed routes' gate: the caller's key, the scope of the current route's operation, the key's rate.
     * Records who called what as {@link ApiCall} for the answer's rate headers and the audit log.
     */
    public void check(@Header("X-API-Key") String key, Exchange exchange) {
        String operationId = ExchangeHelper.getAtRouteId(exchange);
        ApiProperties.Key caller = authenticate(key);
        ApiProperties.Scope needed = ApiProperties.Scope.valueOf(contract.scopeOf(operationId).toUpperCase(Locale.ROOT));
        Admitted admitted = admit(caller);
        exchange.setProperty(ApiCall.PROPERTY, new ApiCall(caller.id(), operationId,
                exchange.getMessage().getHeader(Exchange.HTTP_METHOD, String.class),
                contract.target(operationId, exchange.getMessage()), admitted.limit(), admitted.remaining()));
        if (!caller.scopes().contains(needed)) {
            throw ApiProblem.forbidden(needed.name().toLowerCase(Locale.ROOT));
        }
    }

    /** The key's configuration and its rate: 401 for an unknown key, 429 past its limit. */
    public Admitted check(String key) {
        return admit(authenticate(key));
    }

    private ApiProperties.Key authenticate(String key) {
        if (key == null || key.isBlank()) {
            throw ApiProblem.unauthorized("Missing X-API-Key header");
        }
        byte[] presented = sha256(key);
        ApiProperties.Key known = null;
        for (int i = 0; i < hashes.size(); i++) {
            // Every hash is compared, so the time taken does not tell which one matched.
            if (MessageDigest.isEqual(hashes.get(i), presented) && known == null) {
                known = keys.get(i);
            }
        }
        if (known == null) {
            throw ApiProblem.unauthorized("Unknown API key");
        }
        return known;
    }

    private Admitted admit(ApiProperties.Key key) {
        int limit = limitOf(key);
        long second = clock.millis() / 1000;
        Window window = windows.compute(key.id(),
                (k, w) -> w == null || w.second() != second ? new Window(second, new AtomicLong()) : w);
        long used = window.count().incrementAndGet();
        if (used > limit) {
            throw ApiProblem.rateLimited(1);
        }
        return new Admitted(key, limit, limit - used);
    }

    private int limitOf(ApiProperties.Key key) {
        return key.requestsPerSecond() == null ? defaultRequestsPerSecond : key.requestsPerSecond();
    }

    static byte[] sha256(String key) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
    }
}
