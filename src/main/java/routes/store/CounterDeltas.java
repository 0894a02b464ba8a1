package routes.store;

import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Campaign counter deltas added up in memory and written in one update per campaign: one item cannot
 * take a write per recipient or per event. Adders are reset, never removed, so a count racing with a
 * write lands in the next one; a failed write puts its deltas back.
 */
public final class CounterDeltas {

    private final Campaigns campaigns;
    private final Map<String, Map<String, LongAdder>> pending = new ConcurrentHashMap<>();

    public CounterDeltas(Campaigns campaigns) {
        this.campaigns = campaigns;
    }

    /** Adds to counter {@code name} (campaign attribute {@code <name>Count}); no campaign, nothing to count. */
    public void add(String campaignId, String name, long delta) {
        if (campaignId != null && !campaignId.isEmpty()) {
            pending.computeIfAbsent(campaignId, id -> new ConcurrentHashMap<>())
                    .computeIfAbsent(name, n -> new LongAdder()).add(delta);
        }
    }

    public Set<String> campaignIds() {
        return Collections.unmodifiableSet(pending.keySet());
    }

    /** Writes the campaign's deltas in one update; when the write fails they are kept and the failure thrown. */
    public void write(String campaignId) {
        Map<String, LongAdder> counters = pending.get(campaignId);
        if (counters == null) {
            return;
        }
        Map<String, Long> deltas = new HashMap<>();
        counters.forEach((name, adder) -> {
            long delta = adder.sumThenReset();
            if (delta != 0) {
                deltas.put(name, delta);
            }
        });
        try {
            campaigns.addCounters(campaignId, deltas);
        } catch (RuntimeException e) {
            deltas.forEach((name, delta) -> counters.computeIfAbsent(name, n -> new LongAdder()).add(delta));
            throw e;
        }
    }

    /** Forgets a campaign's deltas, e.g. of a campaign that does not exist. */
    public void drop(String campaignId) {
        pending.remove(campaignId);
    }
}
