package routes.send;

import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;
import org.apache.velocity.app.event.ReferenceInsertionEventHandler;
import org.apache.velocity.context.Context;
import org.springframework.web.util.HtmlUtils;

/**
 * Escapes every value an HTML template inserts ({@code & < > " '}), so that recipient data cannot
 * write markup into the mail. A reference under {@code $raw.} ({@code $raw.x}, {@code $!raw.x},
 * {@code ${raw.x}}, {@code $!{raw.x}}) is inserted as it is: the template author's explicit statement,
 * visible in the template, that this value is trusted HTML. Text and subject templates do not use it.
 */
final class HtmlEscaping implements ReferenceInsertionEventHandler {

    /** The model entry that holds the same variables for unescaped insertion. */
    static final String RAW = "raw";
    private static final Pattern RAW_REFERENCE = Pattern.compile("\\$!?\\{?" + RAW + "\\.");

    @Override
    public Object referenceInsert(Context context, String reference, Object value) {
        if (value == null || RAW_REFERENCE.matcher(reference).lookingAt()) {
            return value;
        }
        return HtmlUtils.htmlEscape(value.toString(), StandardCharsets.UTF_8.name());
    }
}
