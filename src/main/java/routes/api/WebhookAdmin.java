package routes.api;

import java.util.Map;
import org.apache.camel.Header;
import org.springframework.stereotype.Component;
import routes.webhooks.WebhookReplay;

/** {@code POST /api/v1/webhooks/{subscriberId}/replay}: a subscriber's dead letters back into delivery. */
@Component
public class WebhookAdmin {

    private final WebhookReplay replay;

    public WebhookAdmin(WebhookReplay replay) {
        this.replay = replay;
    }

    public ApiReply replay(@Header("subscriberId") String subscriberId) {
        if (subscriberId == null || !subscriberId.matches("[A-Za-z0-9-]+")) {
            throw ApiProblem.invalid("subscriberId", "letters, digits and '-'", "subscriberId is not a subscriber id");
        }
        return ApiReply.json(202, Map.of("success", true, "subscriberId", subscriberId, "replayed", replay.replay(subscriberId)));
    }
}
