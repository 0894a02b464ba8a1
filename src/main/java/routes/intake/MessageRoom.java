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
    /** The recipient object's field names, quotes, separators and its 36-character message id. */
    private static final int RECIPIENT_FRAME = 200;
    /** JSON bytes of one character at most: a six-character escape of a control character. */
    private static final int MAX_BYTES_PER_CHAR = 6;
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
            if (envelope + upperBound(recipient) <= maxBytes) {
                return Optional.empty();
            }
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

    /**
     * A cheap bound on the recipient's JSON, so the exact measure (a serialisation per row) is needed only
     * near the limit; a nested variable is not bounded here.
     */
    private static long upperBound(Recipient recipient) {
        long chars = length(recipient.email()) + length(recipient.template()) + length(recipient.from())
                + length(recipient.subject()) + length(recipient.segment()) + recipient.tags().values().stream()
                .mapToLong(MessageRoom::length).sum();
        long frame = RECIPIENT_FRAME;
        for (Map.Entry<String, Object> variable : recipient.variables().entrySet()) {
            Object value = variable.getValue();
            if (value != null && !(value instanceof String || value instanceof Number || value instanceof Boolean)) {
                return Long.MAX_VALUE / 2;
            }
            chars += variable.getKey().length() + length(value == null ? null : value.toString());
            frame += 6;   // quotes, colon, comma
        }
        return chars * MAX_BYTES_PER_CHAR + frame;
    }

    private static long length(String text) {
        return text == null ? 0 : text.length();
    }

    private int bytes(Object value) {
        try {
            return json.writeValueAsBytes(value).length;
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
