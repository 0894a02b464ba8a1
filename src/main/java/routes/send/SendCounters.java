package routes.send;

import jakarta.annotation.PreDestroy;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import routes.store.Campaigns;

/**
 * Campaign counters (sent, failed, suppressed) added up in memory and written in one update per
 * campaign per flush (route {@code send-counters}): one item cannot take a write per recipient.
 */
@Component
public class SendCounters {

    private static final Logger LOG = LoggerFactory.getLogger(SendCounters.class);

    private final Campaigns campaigns;
    private final Map<String, Map<String, LongAdder>> pending = new ConcurrentHashMap<>();

    public SendCounters(Campaigns campaigns) {
        this.campaigns = campaigns;
    }

    public void add(String campaignId, String counter) {
        add(campaignId, counter, 1);
    }

    public void add(String campaignId, String counter, long delta) {
        if (campaignId != null) {
            pending.computeIfAbsent(campaignId, id -> new ConcurrentHashMap<>())
                    .computeIfAbsent(counter, name -> new LongAdder()).add(delta);
        }
    }

    /** Writes what has been counted so far; a failed write keeps its deltas for the next flush. */
    @PreDestroy
    public void flushAll() {
        pending.keySet().forEach(this::flush);
    }

    public void flush(String campaignId) {
        Map<String, LongAdder> counters = pending.get(campaignId);
        if (counters == null) {
            return;
        }
        Map<String, Long> deltas = new HashMap<>();
        counters.forEach((name, adder) -> {
            long value = adder.sumThenReset();
            if (value != 0) {
                deltas.put(name, value);
            }
        });
        try {
            campaigns.addCounters(campaignId, deltas);
        } catch (RuntimeException e) {
            LOG.warn("Counters of campaign {} not written, kept for the next flush: {}", campaignId, e.toString());
            deltas.forEach((name, value) -> counters.computeIfAbsent(name, n -> new LongAdder()).add(value));
        }
    }
}
