package routes.api;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.Header;
import org.springframework.stereotype.Component;
import routes.aws.Tables;
import routes.store.EventLog;
import routes.store.Page;

/**
 * The audit log of the API: every mutating call a key made (admitted past its rate limit, whatever the answer)
 * as a row of the events table, partition {@value #PARTITION}: key id, operation, target, HTTP status, time.
 * Read back, newest first, by {@code GET /api/v1/audit} (scope admin).
 */
@Component
public class ApiAudit {

    /** Partition of the events table holding the API's audit log. */
    public static final String PARTITION = Tables.API_AUDIT;
    private static final String AUDITED = "apiAudited";

    /** Exchange property an operation sets when what it acted on is not in its path (a new campaign's id). */
    public static final String TARGET = "apiTarget";

    private final EventLog events;
    private final ApiProperties api;
    private final Clock clock;

    public ApiAudit(EventLog events, ApiProperties api, Clock clock) {
        this.events = events;
        this.api = api;
        this.clock = clock;
    }

    /** Runs once the answer's status is known; a second call for the same exchange records nothing. */
    public void record(Exchange exchange) {
        ApiCall call = exchange.getProperty(ApiCall.PROPERTY, ApiCall.class);
        if (call == null || !call.mutates() || exchange.getProperty(AUDITED, false, Boolean.class)) {
            return;
        }
        exchange.setProperty(AUDITED, true);
        String at = clock.instant().toString();
        String created = exchange.getProperty(TARGET, exchange.getProperty(TransactionalEmails.EMAIL_ID, String.class), String.class);
        Map<String, String> entry = new LinkedHashMap<>();
        entry.put("keyId", call.keyId());
        entry.put("operation", call.operationId());
        entry.put("target", call.target().isEmpty() && created != null ? created : call.target());
        entry.put("status", exchange.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, "", String.class));
        entry.put("at", at);
        events.append(PARTITION, at + "#" + call.operationId() + "#" + exchange.getExchangeId(), entry);
    }

    public ApiReply list(@Header("limit") String limit, @Header("cursor") String cursor) {
        int size = ApiInput.limit(limit, api.maxPageSize());
        Page<Map<String, String>> page = ApiInput.paged(cursor, () -> events.newestFirst(PARTITION, size, cursor));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("items", page.items());
        body.put("next", page.next());
        return ApiReply.json(200, body);
    }
}
