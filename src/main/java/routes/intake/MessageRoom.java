package routes.intake;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.stereotype.Component;
import routes.launch.LaunchProperties;
import routes.model.MessageStatus;
import routes.model.SendChunk;

/**
 * Whether a recipient fits a launch-queue message on its own, with its campaign's envelope. The launch
 * cannot split a recipient, so one that does not fit is an invalid row at intake instead of a launch
 * that SQS refuses on every retry. Measured as the launch's chunker measures (the same JSON).
 */
@Component
public class MessageRoom {

    /** The chunker keeps room for a chunk number of this many digits. */
    private static final int CHUNK_NUMBER_DIGITS = 10;
    /** A resend's chunks carry the statuses they may reclaim; count the longest such list. */
    private static final List<MessageStatus> ANY_RECLAIM = List.of(MessageStatus.values());
    private final ObjectMapper json = new ObjectMapper().setSerializationInclusion(JsonInclude.Include.NON_NULL);
    private final int maxBytes;

    public MessageRoom(LaunchProperties launch) {
        this.maxBytes = launch.maxChunkBytes();
    }

    /** The room left by one campaign's envelope, measured once per pass over its rows. */
    Campaign of(CampaignDefinition campaign) {
        int envelope = bytes(new SendChunk(campaign.campaignId(), 0, campaign.from(), campaign.replyTo(),
                campaign.configurationSet(), campaign.tags(), ANY_RECLAIM, List.of())) + CHUNK_NUMBER_DIGITS;
        return new Campaign(campaign.campaignId(), envelope);
    }

    final class Campaign {
        private final String campaignId;
        private final int envelope;

        private Campaign(String campaignId, int envelope) {
            this.campaignId = campaignId;
            this.envelope = envelope;
        }

        /** @return why the recipient does not fit (its largest variable named), or empty */
        Optional<Problem> check(Recipient recipient) {
            int needed = envelope + bytes(recipient.toChunkRecipient(campaignId));
            if (needed <= maxBytes) {
                return Optional.empty();
            }
            String largest = recipient.variables().entrySet().stream()
                    .max(Comparator.comparingInt(variable -> String.valueOf(variable.getValue()).length()))
                    .map(Map.Entry::getKey).orElse("");
            return Optional.of(new Problem(recipient.line(), largest, "the recipient needs " + needed
                    + " bytes in a launch-queue message; at most " + maxBytes + " fit (mailroutes.launch.max-chunk-bytes)"));
        }
    }

    private int bytes(Object value) {
        try {
            return json.writeValueAsBytes(value).length;
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
