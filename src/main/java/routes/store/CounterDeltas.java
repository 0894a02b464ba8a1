package routes.store;

import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Campaign counter deltas added up in memory and written in one update per campaign: one item cannot
 * take a write per recipient or per event. A write takes each delta with one atomic get-and-set, so an
 * add racing with it lands either in this write or in the next, never in neither (the counts feed the
 * completion summary, the API's rates and the reputation guard: they must be exact). A failed write puts
 * its deltas back.
 */
public final class CounterDeltas {

    /** Where deltas go: {@link Campaigns#addCounters} in the product. */
    @FunctionalInterface
    public interface Writer {
        void write(String campaignId, Map<String, Long> deltas);
    }

    private final Writer writer;
    private final Map<String, Map<String, AtomicLong>> pending = new ConcurrentHashMap<>();

    public CounterDeltas(Writer writer) {
        this.writer = writer;
    }

    /** Adds to counter {@code name} (campaign attribute {@code <name>Count}); no campaign, nothing to count. */
    public void add(String campaignId, String name, long delta) {
        if (campaignId != null && !campaignId.isEmpty()) {
            pending.computeIfAbsent(campaignId, id -> new ConcurrentHashMap<>())
                    .computeIfAbsent(name, n -> new AtomicLong()).addAndGet(delta);
        }
    }

    public Set<String> campaignIds() {
        return Collections.unmodifiableSet(pending.keySet());
    }

    /** Writes the campaign's deltas in one update; when the write fails they are kept and the failure thrown. */
    public void write(String campaignId) {
        Map<String, AtomicLong> counters = pending.get(campaignId);
        if (counters == null) {
            return;
        }
        Map<String, Long> deltas = new HashMap<>();
        counters.forEach((name, counter) -> {
            long delta = counter.getAndSet(0);
            if (delta != 0) {
                deltas.put(name, delta);
            }
        });
        if (deltas.isEmpty()) {
            return;
        }
        try {
            writer.write(campaignId, deltas);
        } catch (RuntimeException e) {
            deltas.forEach((name, delta) -> counters.computeIfAbsent(name, n -> new AtomicLong()).addAndGet(delta));
            throw e;
        }
    }

    /** Forgets a campaign's deltas, e.g. of a campaign that does not exist. */
    public void drop(String campaignId) {
        pending.remove(campaignId);
    }
}
