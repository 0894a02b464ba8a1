package routes.send;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.camel.ExchangeProperty;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import routes.model.CampaignStatus;
import routes.model.SendChunk;
import routes.model.SendChunk.Recipient;
import routes.store.Campaigns;
import routes.store.Ledger;
import routes.store.SuppressionList;

/** Opens a chunk for sending (suppression first) and closes it (remainder, chunk and campaign done). */
@Component
public class ChunkRuns {

    private static final Logger LOG = LoggerFactory.getLogger(ChunkRuns.class);

    private final SuppressionList suppressions;
    private final Ledger ledger;
    private final Campaigns campaigns;
    private final SendCounters counters;
    private final CampaignGate gate;

    public ChunkRuns(SuppressionList suppressions, Ledger ledger, Campaigns campaigns, SendCounters counters,
                     CampaignGate gate) {
        this.suppressions = suppressions;
        this.ledger = ledger;
        this.campaigns = campaigns;
        this.counters = counters;
        this.gate = gate;
    }

    /**
     * Looks the chunk's addresses up in the suppression list in one BatchGetItem, records the
     * suppressed ones SUPPRESSED, and returns the run over the rest.
     */
    public ChunkRun open(SendChunk chunk, @ExchangeProperty(SendLane.PROPERTY) String lane) {
        if (chunk.recipients() == null) {
            throw new IllegalArgumentException("send chunk " + chunk.campaignId() + "#" + chunk.chunk() + " has no recipients");
        }
        Set<String> suppressed = suppressions.suppressedAmong(chunk.recipients().stream().map(Recipient::email).toList());
        List<Recipient> toSend = new ArrayList<>();
        for (Recipient recipient : chunk.recipients()) {
            if (suppressed.contains(SuppressionList.normalise(recipient.email()))) {
                if (ledger.recordSuppressed(recipient.messageId(), chunk.campaignId(), recipient.email(), recipient.segment())) {
                    counters.add(chunk.campaignId(), "suppressed");
                }
            } else {
                toSend.add(recipient);
            }
        }
        // A new chunk may follow a status change this replica has cached (a resend or resume right after a
        // cancel or pause): its first recipient reads the campaign's status afresh (one GetItem per chunk).
        if (chunk.campaignId() != null) {
            gate.forget(chunk.campaignId());
        }
        LOG.info("Chunk {}#{} ({} lane): {} recipients, {} suppressed", chunk.campaignId(), chunk.chunk(), lane,
                chunk.recipients().size(), chunk.recipients().size() - toSend.size());
        return new ChunkRun(chunk, toSend);
    }

    /**
     * After the split: returns the chunk's deferred remainder to be enqueued again (with a delay), or
     * null. A chunk with nothing left is done; the campaign's last done chunk moves it SENDING → SENT.
     */
    public SendChunk finish(ChunkRun run) {
        SendChunk chunk = run.chunk();
        SendChunk remainder = run.remainder();
        if (remainder != null) {
            LOG.info("Chunk {}#{}: {} recipients deferred", chunk.campaignId(), chunk.chunk(), remainder.recipients().size());
            return remainder;
        }
        if (chunk.campaignId() != null && chunk.chunk() != SendChunk.NO_CHUNK
                && campaigns.chunkDone(chunk.campaignId(), chunk.chunk())) {
            counters.flush(chunk.campaignId());
            if (campaigns.transition(chunk.campaignId(), Set.of(CampaignStatus.SENDING), CampaignStatus.SENT)) {
                gate.forget(chunk.campaignId());
                LOG.info("Campaign {}: last chunk done, SENT", chunk.campaignId());
            }
        }
        return null;
    }
}
