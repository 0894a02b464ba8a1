package routes.store;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Values read from AWS, reused per key for a while so a hot path does not read the same item for
 * every message. A read that throws stores nothing.
 */
public final class RecentReads<V> {

    private record Read<V>(V value, Instant at) {}

    private final Duration ttl;
    private final Clock clock;
    private final Map<String, Read<V>> reads = new ConcurrentHashMap<>();

    public RecentReads(Duration ttl, Clock clock) {
        this.ttl = ttl;
        this.clock = clock;
    }

    /** The value read at most {@code ttl} ago, else {@code read}'s answer now. */
    public V get(String key, Function<String, V> read) {
        Instant now = clock.instant();
        // compute() so that of all the threads finding the entry stale, one reads and the others wait for it.
        return reads.compute(key, (k, last) -> last == null || last.at().plus(ttl).isBefore(now)
                ? new Read<>(read.apply(k), now) : last).value();
    }

    public void forget(String key) {
        reads.remove(key);
    }
}
