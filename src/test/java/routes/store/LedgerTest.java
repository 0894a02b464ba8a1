package routes.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import routes.MailroutesTest;
import routes.model.MessageIds;
import routes.model.MessageStatus;
import routes.model.SendChunk;

/** What a redelivered or resent chunk leaves out before its recipients wait for an SES slot. */
@MailroutesTest
class LedgerTest {

    @Autowired Ledger ledger;

    @Test
    void unclaimableRowsAreThoseTheClaimWouldRefuse() {
        String campaignId = "ledger-" + UUID.randomUUID();
        SendChunk.Recipient sent = recipient(campaignId, "sent");
        SendChunk.Recipient failed = recipient(campaignId, "failed");
        SendChunk.Recipient sending = recipient(campaignId, "sending");
        SendChunk.Recipient bounced = recipient(campaignId, "bounced");
        SendChunk.Recipient queued = recipient(campaignId, "queued");
        SendChunk.Recipient fresh = recipient(campaignId, "fresh");
        for (SendChunk.Recipient claimed : List.of(sent, failed, sending, bounced)) {
            assertThat(ledger.claim(chunkOf(campaignId), claimed, null, List.of()).claim()).isEqualTo(Ledger.Claim.CLAIMED);
        }
        ledger.advance(sent.messageId(), MessageStatus.SENT, Map.of());
        ledger.advance(failed.messageId(), MessageStatus.FAILED, Map.of());
        ledger.advance(bounced.messageId(), MessageStatus.BOUNCED, Map.of());
        ledger.queue(queued.messageId(), queued.email(), Map.of());
        List<String> ids = List.of(sent, failed, sending, bounced, queued, fresh).stream()
                .map(SendChunk.Recipient::messageId).toList();

        assertThat(ledger.unclaimable(ids, List.of()))
                .containsExactlyInAnyOrder(sent.messageId(), failed.messageId(), sending.messageId(), bounced.messageId());
        assertThat(ledger.unclaimable(ids, List.of(MessageStatus.FAILED, MessageStatus.SENDING)))
                .containsExactlyInAnyOrder(sent.messageId(), bounced.messageId());
        for (SendChunk.Recipient claimable : List.of(failed, sending, queued, fresh)) {
            assertThat(ledger.claim(chunkOf(campaignId), claimable, null, List.of(MessageStatus.FAILED, MessageStatus.SENDING)).claim())
                    .isEqualTo(Ledger.Claim.CLAIMED);
        }
    }

    private static SendChunk chunkOf(String campaignId) {
        return new SendChunk(campaignId, 0, null, null, null, null, List.of());
    }

    private static SendChunk.Recipient recipient(String campaignId, String name) {
        String email = name + "@example.org";
        return new SendChunk.Recipient(MessageIds.forCampaign(campaignId, email), email, "welcome", null, null, null, Map.of());
    }
}
