package routes.api;

import java.util.Map;
import org.apache.camel.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import routes.store.Ledger;
import routes.store.SuppressionList;

/**
 * {@code DELETE /api/v1/recipients/{email}}, GDPR erasure: ledger rows and their events carry the
 * address's pseudonym instead, metadata is dropped, and a suppression survives only under the
 * pseudonym. Analytics files in S3 are not rewritten (see docs/api.md).
 */
@Component
public class RecipientErasure {

    private static final Logger LOG = LoggerFactory.getLogger(RecipientErasure.class);

    private final Ledger ledger;
    private final SuppressionList suppressions;

    public RecipientErasure(Ledger ledger, SuppressionList suppressions) {
        this.ledger = ledger;
        this.suppressions = suppressions;
    }

    public ApiReply erase(@Header("email") String email) {
        String address = ApiInput.address("email", email);
        String pseudonym = SuppressionList.pseudonym(address);
        int messages = ledger.eraseRecipient(address, pseudonym);
        boolean suppressed = suppressions.replaceWithPseudonym(address, pseudonym);
        LOG.info("Erased recipient {}: {} ledger rows, suppression kept as pseudonym: {}", pseudonym, messages, suppressed);
        return ApiReply.json(200, Map.of("success", true, "pseudonym", pseudonym, "erasedMessages", messages,
                "suppressionKept", suppressed));
    }
}
