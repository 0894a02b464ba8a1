package routes.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.Header;
import org.springframework.stereotype.Component;
import routes.store.Page;
import routes.store.SuppressionList;

/**
 * {@code /api/v1/suppressions}: list, add by hand (reason MANUAL, the caller's detail kept), remove
 * (an audit entry with the address's pseudonym and old reason stays).
 */
@Component
public class SuppressionAdmin {

    private final SuppressionList suppressions;
    private final ApiProperties api;
    private final ObjectMapper json;

    public SuppressionAdmin(SuppressionList suppressions, ApiProperties api, ObjectMapper json) {
        this.suppressions = suppressions;
        this.api = api;
        this.json = json;
    }

    public ApiReply list(@Header("limit") String limit, @Header("cursor") String cursor) {
        int size = ApiInput.limit(limit, api.maxPageSize());
        Page<SuppressionList.Suppression> page = ApiInput.paged(cursor, () -> suppressions.list(size, cursor));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("items", page.items());
        body.put("next", page.next());
        return ApiReply.json(200, body);
    }

    /** The audit names the address by its pseudonym: it comes in the body, where the audit does not look. */
    public ApiReply add(String body, Exchange exchange) {
        JsonNode request;
        try {
            request = body == null || body.isBlank() ? null : json.readTree(body);
        } catch (JsonProcessingException bad) {
            throw ApiProblem.invalid("body", "json", "Request body is not valid JSON");
        }
        if (request == null || !request.isObject()) {
            throw ApiProblem.invalid("body", "object", "Request body must be a JSON object");
        }
        String email = ApiInput.address("email", request.path("email").asText(null));
        String detail = request.path("detail").asText(null);
        if (detail != null && detail.length() > 500) {
            throw ApiProblem.invalid("detail", "max 500 characters", "detail is longer than 500 characters");
        }
        exchange.setProperty(ApiAudit.TARGET, SuppressionList.pseudonym(email));
        if (!suppressions.suppress(email, SuppressionList.Reason.MANUAL, detail, null)) {
            throw ApiProblem.conflict("Address is already suppressed");
        }
        return ApiReply.json(201, suppressions.find(email).orElseThrow());
    }

    public ApiReply remove(@Header("email") String email) {
        String address = ApiInput.pathAddress("email", email);
        suppressions.removeAudited(address, "api").orElseThrow(() -> ApiProblem.notFound("Address is not suppressed"));
        return ApiReply.json(204, null);
    }
}
