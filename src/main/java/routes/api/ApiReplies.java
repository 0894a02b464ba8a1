package routes.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.springframework.stereotype.Component;

/**
 * Writes an {@link ApiReply} as the HTTP response. Request headers are dropped first: platform-http
 * would otherwise echo them (the API key among them) as response headers.
 */
@Component
public class ApiReplies {

    private final ObjectMapper json;

    public ApiReplies(ObjectMapper json) {
        this.json = json;
    }

    public void write(Exchange exchange) throws JsonProcessingException {
        ApiReply reply = exchange.getMessage().getBody(ApiReply.class);
        Message message = exchange.getMessage();
        message.getHeaders().clear();
        message.setHeader(Exchange.HTTP_RESPONSE_CODE, reply.status());
        message.setHeader(Exchange.CONTENT_TYPE, reply.contentType());
        ApiCall call = exchange.getProperty(ApiCall.PROPERTY, ApiCall.class);
        if (call != null) {
            message.setHeader("X-RateLimit-Limit", call.limit());
            message.setHeader("X-RateLimit-Remaining", call.remaining());
        }
        if (reply.body() == null) {
            message.setBody(null);
        } else if (reply.body() instanceof String text && !reply.contentType().startsWith("application/json")) {
            message.setBody(text);
        } else {
            message.setBody(json.writeValueAsString(reply.body()));
        }
    }
}
