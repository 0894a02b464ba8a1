package routes.launch;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import routes.intake.AcceptedRecipients;
import routes.model.CampaignStatus;
import routes.model.SendChunk;
import routes.store.LaunchProgress;

/**
 * Launches due campaigns: claims one (conditional status change), streams the recipients intake accepted
 * ({@link AcceptedRecipients}), and enqueues {@link SendChunk}s with SendMessageBatch. After each
 * batch the campaign row records how many chunks are on the queue, so a launcher that dies resumes
 * after the last recorded batch instead of starting over; the one batch it may have sent without
 * recording it is sent again with the same deduplication ids, which the FIFO launch queue drops.
 */
@Component
public class CampaignLauncher {

    /** What one launch did. */
    public record Launch(String campaignId, int chunks, long recipients, int resumedAfter) {}

    private static final Logger LOG = LoggerFactory.getLogger(CampaignLauncher.class);
    private static final Instant FAR_FUTURE = Instant.parse("9999-12-31T00:00:00Z");
    /** How long SQS remembers a FIFO deduplication id. */
    static final Duration DEDUPLICATION_INTERVAL = Duration.ofMinutes(5);

    private final LaunchProgress launches;
    private final AcceptedRecipients recipients;
    private final ChunkQueue queue;
    private final LaunchProperties properties;
    private final Clock clock;
    /** Absent overrides are left out: a chunk of 500 stays well under the size limit. */
    private final ObjectMapper json = new ObjectMapper().setSerializationInclusion(JsonInclude.Include.NON_NULL);
    private volatile Duration staleAfter;

    public CampaignLauncher(LaunchProgress launches, AcceptedRecipients recipients, ChunkQueue queue,
                            LaunchProperties properties, Clock clock) {
        this.launches = launches;
        this.recipients = recipients;
        this.queue = queue;
        this.properties = properties;
        this.clock = clock;
        this.staleAfter = properties.staleAfter();
    }

    /** Changes at runtime after how long a silent LAUNCHING campaign is taken over. */
    public void setStaleAfter(Duration staleAfter) {
        this.staleAfter = staleAfter;
    }

    /** Campaigns to launch now: due SCHEDULED and ACCEPTED ones, and every LAUNCHING one (maybe stale). */
    public List<String> due() {
        Instant now = clock.instant();
        List<String> ids = new ArrayList<>(launches.due(CampaignStatus.SCHEDULED, now));
        ids.addAll(launches.due(CampaignStatus.ACCEPTED, now));
        ids.addAll(launches.due(CampaignStatus.LAUNCHING, FAR_FUTURE));
        return ids;
    }

    /** SCHEDULED/ACCEPTED → LAUNCHING, or takes over a LAUNCHING campaign whose launcher went silent. */
    public boolean claim(String campaignId) {
        return launches.claimLaunch(campaignId, EnumSet.of(CampaignStatus.SCHEDULED, CampaignStatus.ACCEPTED),
                clock.instant().minus(staleAfter));
    }

    /** Enqueues the chunks not yet on the queue, then LAUNCHING → SENDING with the totals. */
    public Launch launch(String campaignId) {
        LaunchProgress.Launchable campaign = launches.launchable(campaignId)
                .orElseThrow(() -> new IllegalStateException("campaign " + campaignId + " vanished"));
        Batches batches = new Batches(campaign);
        Chunker chunker = new Chunker(json, recipients.chunkTemplate(campaign),
                properties.maxChunkRecipients(), properties.maxChunkBytes(), batches::add);
        long accepted = recipients.forEach(campaign, chunker::add);
        int chunks = chunker.finish();
        batches.flush();
        if (!launches.finishLaunch(campaignId, chunks, accepted)) {
            throw new IllegalStateException("campaign " + campaignId + " left LAUNCHING during its launch");
        }
        LOG.info("Campaign {} launched: {} recipients in {} chunks ({} were enqueued before a resume)",
                campaignId, accepted, chunks, campaign.enqueuedChunks());
        return new Launch(campaignId, chunks, accepted, campaign.enqueuedChunks());
    }

    /** Collects chunks into SendMessageBatch calls and records progress after each call. */
    private final class Batches {

        private final String campaignId;
        private final int launch;
        private final int alreadyEnqueued;
        private Instant progressAt;
        private final List<ChunkQueue.Chunk> pending = new ArrayList<>();
        private int pendingBytes;
        private int nextIndex;

        Batches(LaunchProgress.Launchable campaign) {
            this.campaignId = campaign.campaignId();
            this.launch = campaign.launch();
            this.alreadyEnqueued = campaign.enqueuedChunks();
            this.progressAt = campaign.progressAt();
        }

        void add(Chunker.Encoded chunk) {
            if (chunk.index() < alreadyEnqueued) {
                return;
            }
            int bytes = chunk.bytes();
            if (!pending.isEmpty() && (pending.size() == ChunkQueue.MAX_BATCH_ENTRIES
                    || pendingBytes + bytes > properties.maxBatchBytes())) {
                flush();
            }
            pending.add(ChunkQueue.Chunk.of(campaignId, launch, chunk.index(), chunk.json()));
            pendingBytes += bytes;
            nextIndex = chunk.index() + 1;
        }

        void flush() {
            if (pending.isEmpty()) {
                return;
            }
            warnIfPastDeduplication();
            queue.send(pending);
            pending.clear();
            pendingBytes = 0;
            if (!launches.recordEnqueued(campaignId, nextIndex)) {
                throw new IllegalStateException("campaign " + campaignId + " lost its launch claim");
            }
            progressAt = clock.instant();
        }

        /**
         * Only a launch resumed after every replica was down for minutes can outlive the deduplication
         * interval (stale-after is at most 3 minutes); then the batch after the recorded progress may
         * arrive twice, and the ledger claim keeps its recipients from a second mail.
         */
        private void warnIfPastDeduplication() {
            if (progressAt != null && progressAt.plus(DEDUPLICATION_INTERVAL).isBefore(clock.instant())) {
                LOG.warn("Campaign {} resumes {} s after its last recorded progress, beyond SQS's deduplication "
                        + "interval: chunks from {} may be enqueued twice (the ledger still sends each recipient once)",
                        campaignId, Duration.between(progressAt, clock.instant()).toSeconds(), nextIndex - pending.size());
            }
        }
    }
}
