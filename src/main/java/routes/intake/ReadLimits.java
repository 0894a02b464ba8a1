package routes.intake;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import java.util.Map;
import java.util.Optional;
import org.springframework.stereotype.Component;
import routes.model.SendChunk;

/**
 * The bounds campaign files are read under: a line, record, value or recipient is cut off while it
 * streams in, never built whole first, so one hostile file cannot exhaust the leader's heap (and then
 * every replica's, as each new leader takes the same file). Each breach is a problem naming the limit
 * and its configuration key.
 */
@Component
public class ReadLimits {

    static final String ROW_KEY = "mailroutes.intake.max-row-length";
    static final String VALUE_KEY = "mailroutes.intake.max-value-length";
    static final String VARIABLES_KEY = "mailroutes.intake.max-variables";

    private final IntakeProperties properties;

    public ReadLimits(IntakeProperties properties) {
        this.properties = properties;
    }

    int maxRowLength() {
        return properties.maxRowLength();
    }

    int maxVariables() {
        return properties.maxVariables();
    }

    /** JSON whose strings and field names are refused past {@code maxLength} characters, unbuilt. */
    static JsonFactory json(int maxLength) {
        return JsonFactory.builder().streamReadConstraints(StreamReadConstraints.builder()
                .maxStringLength(maxLength).maxNameLength(maxLength).build()).build();
    }

    /** JSON whose values and field names are at most {@code max-value-length}. */
    JsonFactory valueBoundedJson() {
        return json(properties.maxValueLength());
    }

    String rowTooLong(String what) {
        return what + " longer than " + properties.maxRowLength() + " characters (" + ROW_KEY + ")";
    }

    String tooManyVariables(long count) {
        return count + " variables; at most " + properties.maxVariables() + " are allowed (" + VARIABLES_KEY + ")";
    }

    static String reserved() {
        return "reserved: the send flow sets this variable itself";
    }

    /**
     * A string over the limit of a {@link #valueBoundedJson} parser, which stopped inside it.
     *
     * @return null when another constraint broke (nesting depth, number length), which is malformed JSON
     */
    static String stringTooLong(JsonParser json, StreamConstraintsException e) {
        String message = e.getOriginalMessage();
        if (!message.contains("getMaxStringLength") && !message.contains("getMaxNameLength")) {
            return null;
        }
        return "a value or field name longer than " + json.streamReadConstraints().getMaxStringLength()
                + " characters (" + VALUE_KEY + ")";
    }

    /**
     * The variables of one row: not too many, none the send flow sets itself, no text value too long.
     *
     * @param prefix put before a variable's name in the problem's field (JSONL: where the variables are)
     */
    Optional<Problem> variables(long line, String prefix, Map<String, ?> variables) {
        if (variables.size() > properties.maxVariables()) {
            return Optional.of(new Problem(line, prefix, tooManyVariables(variables.size())));
        }
        for (Map.Entry<String, ?> variable : variables.entrySet()) {
            if (SendChunk.Recipient.RESERVED_VARIABLES.contains(variable.getKey())) {
                return Optional.of(new Problem(line, prefix + variable.getKey(), reserved()));
            }
            if (variable.getValue() instanceof String text && text.length() > properties.maxValueLength()) {
                return Optional.of(new Problem(line, prefix + variable.getKey(), valueTooLong(text.length())));
            }
        }
        return Optional.empty();
    }

    String valueTooLong(int length) {
        return "value of " + length + " characters; at most " + properties.maxValueLength() + " are allowed ("
                + VALUE_KEY + ")";
    }
}
