package routes.send;

import org.apache.camel.AggregationStrategy;
import org.apache.camel.Exchange;
import org.apache.camel.component.aws2.ses.Ses2Constants;
import org.springframework.stereotype.Component;

/**
 * Joins SES's answer to the recipient (send.yaml's {@code send-ses-call} enricher): the body stays the
 * recipient's record, now {@link Accepted} with SES's MessageId, instead of the MIME message the
 * aws2-ses producer needs as its own body. A failed call leaves the body as it was and hands its exception
 * on, so the redelivery retries the same {@link Outgoing}.
 */
@Component
public class SesReceipt implements AggregationStrategy {

    @Override
    public Exchange aggregate(Exchange attempt, Exchange call) {
        if (call.getException() != null) {
            attempt.setException(call.getException());
            return attempt;
        }
        Outgoing outgoing = attempt.getMessage().getBody(Outgoing.class);
        attempt.getMessage().setBody(outgoing.accepted(call.getMessage().getHeader(Ses2Constants.MESSAGE_ID, String.class)));
        return attempt;
    }
}
