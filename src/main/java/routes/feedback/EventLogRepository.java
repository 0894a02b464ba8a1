package routes.feedback;

import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.component.aws2.sqs.Sqs2Constants;
import org.apache.camel.spi.IdempotentRepository;
import org.apache.camel.support.service.ServiceSupport;
import org.springframework.stereotype.Component;
import routes.store.EventLog;

/**
 * The idempotent consumer's repository: the DynamoDB event log, so "first delivery wins" holds across
 * replicas. Keys are {@code <logKey>|<eventKey>} ({@link #keyOf}); the event itself is stored with the key, and
 * the SQS message that carried it: a redelivery of that same message means its processing never finished (a
 * crash between this write and the end, which {@code removeOnFailure} cannot undo), so it is processed again;
 * a copy in another SQS message (SNS or SES delivering twice) is a duplicate.
 */
@Component
public class EventLogRepository extends ServiceSupport implements IdempotentRepository {

    private final EventLog log;

    public EventLogRepository(EventLog log) {
        this.log = log;
    }

    public static String keyOf(RecipientEvent event) {
        return event.logKey() + "|" + event.eventKey();
    }

    @Override
    public boolean add(Exchange exchange, String key) {
        RecipientEvent event = exchange.getMessage().getBody(RecipientEvent.class);
        Map<String, String> attributes = event == null ? Map.of() : Map.of(
                "type", event.type(),
                "sesMessageId", event.event().sesMessageId(),
                "campaignId", event.campaignId() == null ? "" : event.campaignId(),
                "event", event.event().json().toString());
        return log.append(part(key, 0), part(key, 1), attributes,
                exchange.getMessage().getHeader(Sqs2Constants.MESSAGE_ID, String.class));
    }

    @Override
    public boolean add(String key) {
        return log.append(part(key, 0), part(key, 1), Map.of());
    }

    @Override
    public boolean contains(String key) {
        return log.contains(part(key, 0), part(key, 1));
    }

    @Override
    public boolean remove(String key) {
        log.remove(part(key, 0), part(key, 1));
        return true;
    }

    @Override
    public boolean confirm(String key) {
        return true;
    }

    @Override
    public void clear() {
        throw new UnsupportedOperationException("the event log is never cleared; rows expire by TTL");
    }

    private static String part(String key, int index) {
        int bar = key.indexOf('|');
        return index == 0 ? key.substring(0, bar) : key.substring(bar + 1);
    }
}
