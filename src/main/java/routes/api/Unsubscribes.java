package routes.api;

import java.time.Clock;
import java.util.Map;
import java.util.UUID;
import org.apache.camel.Header;
import org.springframework.stereotype.Component;
import org.springframework.web.util.HtmlUtils;
import routes.model.MessageStatus;
import routes.model.StatusEvent;
import routes.model.UnsubscribeToken;
import routes.store.Ledger;
import routes.store.SuppressionList;

/**
 * {@code /u/{token}}: GET shows a confirmation page, POST (RFC 8058 one-click or the page's button)
 * suppresses the address (UNSUBSCRIBE), marks the message UNSUBSCRIBED and returns the status event to
 * publish. A token that does not verify, or names no message, is a 404 and changes nothing. Repeats
 * succeed without a second event.
 */
@Component
public class Unsubscribes {

    private final UnsubscribeToken tokens;
    private final Ledger ledger;
    private final SuppressionList suppressions;
    private final Clock clock;

    public Unsubscribes(UnsubscribeToken tokens, Ledger ledger, SuppressionList suppressions, Clock clock) {
        this.tokens = tokens;
        this.ledger = ledger;
        this.suppressions = suppressions;
        this.clock = clock;
    }

    public ApiReply page(@Header("token") String token) {
        Ledger.Entry entry = entry(token);
        return ApiReply.html(200, """
                <!doctype html><html lang="en"><head><meta charset="utf-8"><title>Unsubscribe</title></head>
                <body><h1>Unsubscribe</h1><p>Stop emails to %s?</p>
                <form method="post"><input type="hidden" name="List-Unsubscribe" value="One-Click">
                <button type="submit">Unsubscribe</button></form></body></html>
                """.formatted(HtmlUtils.htmlEscape(entry.recipient())));
    }

    /** Returns the status event to publish, or null when this message was already unsubscribed. */
    public StatusEvent unsubscribe(@Header("token") String token) {
        Ledger.Entry entry = entry(token);
        suppressions.suppress(entry.recipient(), SuppressionList.Reason.UNSUBSCRIBE, "unsubscribe link", entry.messageId());
        if (!ledger.advance(entry.messageId(), MessageStatus.UNSUBSCRIBED, Map.of())) {
            return null;
        }
        return new StatusEvent(UUID.randomUUID().toString(), StatusEvent.typeOf(MessageStatus.UNSUBSCRIBED),
                clock.instant().toString(), entry.messageId(), entry.campaignId(), entry.recipient(),
                MessageStatus.UNSUBSCRIBED.name(), Map.of("source", "unsubscribe-link"), Map.of());
    }

    public ApiReply done() {
        return ApiReply.html(200, """
                <!doctype html><html lang="en"><head><meta charset="utf-8"><title>Unsubscribed</title></head>
                <body><h1>You are unsubscribed</h1><p>You will not receive these emails any more.</p></body></html>
                """);
    }

    private Ledger.Entry entry(String token) {
        return tokens.verify(token).flatMap(ledger::find).orElseThrow(() -> ApiProblem.notFound("Unknown unsubscribe link"));
    }
}
