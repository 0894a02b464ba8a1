package routes.api;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.camel.Header;
import org.springframework.stereotype.Component;

/**
 * {@code X-API-Key} authentication against configured SHA-256 hashes (constant-time comparison over
 * every hash) and a per-key limit of requests per second (per replica).
 */
@Component
public class ApiKeys {

    private final List<byte[]> hashes;
    private final int requestsPerSecond;
    private final Clock clock;
    private final Map<String, Window> windows = new ConcurrentHashMap<>();

    private record Window(long second, AtomicLong count) {}

    public ApiKeys(ApiProperties properties, Clock clock) {
        this.hashes = properties.keyHashes().stream().map(h -> HexFormat.of().parseHex(h.trim().toLowerCase())).toList();
        this.requestsPerSecond = properties.requestsPerSecond();
        this.clock = clock;
    }

    public void check(@Header("X-API-Key") String key) {
        if (key == null || key.isBlank()) {
            throw ApiProblem.unauthorized("Missing X-API-Key header");
        }
        byte[] presented = sha256(key);
        boolean known = false;
        for (byte[] hash : hashes) {
            known |= MessageDigest.isEqual(hash, presented);
        }
        if (!known) {
            throw ApiProblem.unauthorized("Unknown API key");
        }
        long second = clock.millis() / 1000;
        Window window = windows.compute(HexFormat.of().formatHex(presented),
                (k, w) -> w == null || w.second() != second ? new Window(second, new AtomicLong()) : w);
        if (window.count().incrementAndGet() > requestsPerSecond) {
            throw ApiProblem.rateLimited(1);
        }
    }

    static byte[] sha256(String key) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
    }
}
