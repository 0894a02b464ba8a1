package routes.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/** Writes the seed 004 error body for whatever went wrong in an API route. */
@Component
public class ApiErrors {

    private static final Logger LOG = LoggerFactory.getLogger(ApiErrors.class);

    private final ObjectMapper json;

    public ApiErrors(ObjectMapper json) {
        this.json = json;
    }

    public void respond(Exchange exchange) throws JsonProcessingException {
        Exception caught = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        ApiProblem problem = asProblem(caught);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("success", false);
        body.put("error", problem.error());
        body.put("message", problem.getMessage());
        if (problem.field() != null) {
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("field", problem.field());
            details.put("constraint", problem.constraint());
            if (problem.line() != null) {
                details.put("line", problem.line());
            }
            body.put("details", details);
        }
        if (problem.retryAfter() != null) {
            body.put("retryAfter", problem.retryAfter());
        }
        Message message = exchange.getMessage();
        message.getHeaders().clear();
        message.setHeader(Exchange.HTTP_RESPONSE_CODE, problem.status());
        message.setHeader(Exchange.CONTENT_TYPE, "application/json");
        if (problem.retryAfter() != null) {
            message.setHeader("Retry-After", problem.retryAfter().toString());
        }
        message.setBody(json.writeValueAsString(body));
    }

    private static ApiProblem asProblem(Throwable caught) {
        for (Throwable t = caught; t != null; t = t.getCause()) {
            if (t instanceof ApiProblem problem) {
                return problem;
            }
            if (t instanceof JsonProcessingException bad) {
                return ApiProblem.invalid("body", "json", "Request body is not valid JSON: " + bad.getOriginalMessage());
            }
        }
        LOG.error("API request failed", caught);
        return ApiProblem.internal();
    }
}
