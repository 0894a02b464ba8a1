package routes.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.Header;
import org.springframework.stereotype.Component;
import routes.aws.DeadLetters;
import routes.aws.Tables;
import routes.store.EventLog;

/**
 * {@code /api/v1/dead-letters/{queue}}: list a dead-letter queue without consuming it, move entries back to
 * their queue, discard one (an audit entry in the events table, partition {@value #AUDIT_PARTITION}, keeps
 * which entry, its reason and receive count, never its body).
 */
@Component
public class DeadLetterAdmin {

    /** Partition of the events table holding the discarded dead letters. */
    public static final String AUDIT_PARTITION = Tables.DEAD_LETTER_AUDIT;

    private final DeadLetters deadLetters;
    private final EventLog events;
    private final ApiProperties api;
    private final ObjectMapper json;
    private final Clock clock;

    public DeadLetterAdmin(DeadLetters deadLetters, EventLog events, ApiProperties api, ObjectMapper json,
                           Clock clock) {
        this.deadLetters = deadLetters;
        this.events = events;
        this.api = api;
        this.json = json;
        this.clock = clock;
    }

    public ApiReply list(@Header("queue") String queue, @Header("limit") String limit, @Header("cursor") String cursor) {
        String known = known(queue);
        int size = ApiInput.limit(limit, api.maxPageSize());
        int skip = offset(cursor);
        List<DeadLetters.Entry> page = deadLetters.peek(known, skip, size);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("queue", known);
        body.put("approximateDepth", deadLetters.depth(known));
        body.put("items", page);
        body.put("next", page.size() == size ? Integer.toString(skip + size) : null);
        return ApiReply.json(200, body);
    }

    /** Body {@code {"ids": [...]}} for those entries, or no body for all of them. */
    public ApiReply redrive(@Header("queue") String queue, String body) {
        String known = known(queue);
        DeadLetters.Redrive done = deadLetters.redrive(known, ids(body));
        Map<String, Object> reply = new LinkedHashMap<>();
        reply.put("success", true);
        reply.put("queue", known);
        reply.put("method", done.method());
        if (done.taskHandle() != null) {
            reply.put("taskHandle", done.taskHandle());
        } else {
            reply.put("moved", done.moved());
        }
        return ApiReply.json(202, reply);
    }

    public ApiReply discard(@Header("queue") String queue, @Header("id") String id) {
        String known = known(queue);
        if (id == null || !id.matches("[A-Za-z0-9-]{1,100}")) {
            throw ApiProblem.invalid("id", "SQS message id", "id is not a dead-letter id this API listed");
        }
        DeadLetters.Entry gone = deadLetters.discard(known, id)
                .orElseThrow(() -> ApiProblem.notFound("No entry " + id + " in the " + known + " dead-letter queue"));
        Map<String, String> audit = new LinkedHashMap<>();
        audit.put("queue", known);
        audit.put("deadLetterId", gone.id());
        audit.put("reason", gone.reason());
        audit.put("receiveCount", Integer.toString(gone.receiveCount()));
        audit.put("sentAt", gone.sentAt().toString());
        audit.put("actor", "api");
        events.append(AUDIT_PARTITION, clock.instant() + "#DEAD_LETTER_DISCARDED#" + known + "#" + gone.id(), audit);
        return ApiReply.json(204, null);
    }

    private String known(String queue) {
        if (queue == null || !deadLetters.knows(queue)) {
            throw ApiProblem.notFound("No dead-letter queue " + queue + "; known: " + String.join(", ", deadLetters.queues()));
        }
        return queue;
    }

    private static int offset(String cursor) {
        if (cursor == null || cursor.isBlank()) {
            return 0;
        }
        try {
            int skip = Integer.parseInt(cursor);
            if (skip >= 0) {
                return skip;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw ApiProblem.invalid("cursor", "cursor", "cursor is not one this API returned");
    }

    private List<String> ids(String body) {
        if (body == null || body.isBlank()) {
            return List.of();
        }
        JsonNode request;
        try {
            request = json.readTree(body);
        } catch (JsonProcessingException bad) {
            throw ApiProblem.invalid("body", "json", "Request body is not valid JSON");
        }
        JsonNode ids = request.path("ids");
        if (!request.isObject() || !(ids.isMissingNode() || ids.isArray())) {
            throw ApiProblem.invalid("ids", "array of ids", "Request body must be {\"ids\": [...]} or empty");
        }
        List<String> listed = new ArrayList<>();
        ids.forEach(id -> listed.add(id.asText()));
        if (ids.isArray() && listed.isEmpty()) {
            // An empty list is more likely a mistake than a wish to move everything.
            throw ApiProblem.invalid("ids", "non-empty", "ids is empty; send no body to redrive every entry");
        }
        return listed;
    }
}
