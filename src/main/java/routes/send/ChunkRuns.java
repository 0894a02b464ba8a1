package routes.send;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import routes.model.CampaignStatus;
import routes.model.SendChunk;
import routes.model.SendChunk.Recipient;
import routes.store.Campaigns;
import routes.store.LaunchProgress;
import routes.store.Ledger;
import routes.store.SuppressionList;

/** Opens a chunk for sending (suppression first) and closes it (remainder, chunk and campaign done). */
@Component
public class ChunkRuns {

    private static final Logger LOG = LoggerFactory.getLogger(ChunkRuns.class);

    private final SuppressionList suppressions;
    private final Ledger ledger;
    private final Campaigns campaigns;
    private final LaunchProgress launches;
    private final SendCounters counters;
    private final CampaignGate gate;
    private final RecipientClaim claim;

    public ChunkRuns(SuppressionList suppressions, Ledger ledger, Campaigns campaigns, LaunchProgress launches,
                     SendCounters counters, CampaignGate gate, RecipientClaim claim) {
        this.suppressions = suppressions;
        this.ledger = ledger;
        this.campaigns = campaigns;
        this.launches = launches;
        this.counters = counters;
        this.gate = gate;
        this.claim = claim;
    }

    /**
     * Looks the chunk's addresses up in the suppression list in one BatchGetItem, records the
     * suppressed ones SUPPRESSED, and returns the run over the rest. A chunk that may hold rows
     * already handled (received before, or a resend's) first reads their ledger rows and leaves out
     * those the claim would refuse (nor are their addresses looked up): the claim comes after the SES slot, and a resend of a large
     * campaign must not spend a slot on every recipient who already has the mail.
     */
    public ChunkRun open(SendChunk chunk, @ExchangeProperty(SendLane.PROPERTY) String lane,
                         @Header(SesOutcomes.RECEIVE_COUNT) Integer received) {
        if (chunk.recipients() == null) {
            throw new IllegalArgumentException("send chunk " + chunk.campaignId() + "#" + chunk.chunk() + " has no recipients");
        }
        Set<String> handled = chunk.reclaim() != null || (received != null && received > 1)
                ? ledger.unclaimable(chunk.recipients().stream().map(Recipient::messageId).toList(), claim.reclaimable(chunk))
                : Set.of();
        List<Recipient> unhandled = chunk.recipients().stream().filter(r -> !handled.contains(r.messageId())).toList();
        Set<String> suppressed = suppressions.suppressedAmong(unhandled.stream().map(Recipient::email).toList());
        List<Recipient> toSend = new ArrayList<>();
        for (Recipient recipient : unhandled) {
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
        LOG.info("Chunk {}#{} ({} lane): {} recipients, {} handled before, {} suppressed", chunk.campaignId(), chunk.chunk(),
                lane, chunk.recipients().size(), handled.size(), unhandled.size() - toSend.size());
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
            counters.meter(chunk.campaignId(), "deferred", remainder.recipients().size());
            LOG.info("Chunk {}#{}: {} recipients deferred", chunk.campaignId(), chunk.chunk(), remainder.recipients().size());
            return remainder;
        }
        if (chunk.campaignId() != null && chunk.chunk() != SendChunk.NO_CHUNK
                && launches.chunkDone(chunk.campaignId(), chunk.chunk())) {
            counters.flush(chunk.campaignId());
            if (campaigns.transition(chunk.campaignId(), Set.of(CampaignStatus.SENDING), CampaignStatus.SENT)) {
                gate.forget(chunk.campaignId());
                LOG.info("Campaign {}: last chunk done, SENT", chunk.campaignId());
            }
        }
        return null;
    }
}
