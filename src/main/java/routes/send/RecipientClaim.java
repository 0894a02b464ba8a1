package routes.send;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import routes.store.Ledger;
import routes.store.Ledger.Claim;

/** Claims the recipient's ledger row before any SES call; only the claimer sends. */
@Component
public class RecipientClaim {

    private static final Logger LOG = LoggerFactory.getLogger(RecipientClaim.class);

    private final Ledger ledger;
    private final boolean resendAmbiguous;

    public RecipientClaim(Ledger ledger, SendProperties properties) {
        this.ledger = ledger;
        this.resendAmbiguous = properties.onAmbiguous() == SendProperties.OnAmbiguous.RESEND;
    }

    public boolean claim(Delivery delivery) {
        Claim claim = ledger.claim(delivery.messageId(), delivery.campaignId(), delivery.recipient().email(),
                delivery.recipient().segment(), resendAmbiguous);
        if (claim == Claim.AMBIGUOUS) {
            LOG.warn("Message {} was left SENDING by an earlier attempt; skipped (on-ambiguous=skip)", delivery.messageId());
        } else if (claim == Claim.DONE) {
            LOG.debug("Message {} already handled; skipped", delivery.messageId());
        }
        return claim == Claim.CLAIMED;
    }
}
