package routes.send;

import jakarta.annotation.PreDestroy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import routes.ops.MailMetrics;
import routes.store.Campaigns;
import routes.store.CounterDeltas;

/**
 * Campaign counters (sent, failed, suppressed), written per campaign when a chunk ends and by route
 * {@code send-counters}; each outcome is also metered ({@code mailroutes.emails}) with its lane, which is
 * transactional for a send without a campaign.
 */
@Component
public class SendCounters {

    private static final Logger LOG = LoggerFactory.getLogger(SendCounters.class);

    private final CounterDeltas deltas;
    private final MailMetrics metrics;

    public SendCounters(Campaigns campaigns, MailMetrics metrics) {
        this.deltas = new CounterDeltas(campaigns::addCounters);
        this.metrics = metrics;
    }

    public void add(String campaignId, String counter) {
        add(campaignId, counter, 1);
    }

    public void add(String campaignId, String counter, long delta) {
        deltas.add(campaignId, counter, delta);
        meter(campaignId, counter, delta);
    }

    /** Metered only, no campaign counter: SES throttled a call, recipients deferred to a later delivery. */
    public void meter(String campaignId, String outcome, long count) {
        metrics.emails(outcome, campaignId == null ? SendLane.TRANSACTIONAL.name() : SendLane.CAMPAIGN.name(), count);
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
