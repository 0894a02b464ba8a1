package routes.send;

import jakarta.annotation.PreDestroy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import routes.store.Campaigns;
import routes.store.CounterDeltas;

/**
 * Campaign counters (sent, failed, suppressed), written per campaign when a chunk ends and by route
 * {@code send-counters}.
 */
@Component
public class SendCounters {

    private static final Logger LOG = LoggerFactory.getLogger(SendCounters.class);

    private final CounterDeltas deltas;

    public SendCounters(Campaigns campaigns) {
        this.deltas = new CounterDeltas(campaigns::addCounters);
    }

    public void add(String campaignId, String counter) {
        add(campaignId, counter, 1);
    }

    public void add(String campaignId, String counter, long delta) {
        deltas.add(campaignId, counter, delta);
    }

    /** Writes what has been counted so far; a failed write keeps its deltas for the next flush. */
    @PreDestroy
    public void flushAll() {
        deltas.campaignIds().forEach(this::flush);
    }

    public void flush(String campaignId) {
        try {
            deltas.write(campaignId);
        } catch (RuntimeException e) {
            LOG.warn("Counters of campaign {} not written, kept for the next flush: {}", campaignId, e.toString());
        }
    }
}
