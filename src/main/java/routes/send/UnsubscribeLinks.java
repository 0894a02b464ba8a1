package routes.send;

import org.springframework.stereotype.Component;
import routes.model.UnsubscribeToken;

/**
 * A campaign mail's signed unsubscribe link, one token per mail: the URL templates may put in the body
 * ({@code $unsubscribeUrl}) and the RFC 8058 {@code List-Unsubscribe} header that carries the same token.
 */
@Component
public class UnsubscribeLinks {

    private final UnsubscribeToken tokens;
    private final SendProperties properties;

    public UnsubscribeLinks(UnsubscribeToken tokens, SendProperties properties) {
        this.tokens = tokens;
        this.properties = properties;
    }

    public String token(String messageId) {
        return tokens.sign(messageId);
    }

    public String url(String token) {
        return properties.unsubscribeBaseUrl() + "/u/" + token;
    }

    public String header(String token) {
        return "<" + url(token) + ">, <mailto:" + properties.unsubscribeMailto() + "?subject=unsubscribe-" + token + ">";
    }
}
