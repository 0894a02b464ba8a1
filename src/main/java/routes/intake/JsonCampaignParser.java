package routes.intake;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * Campaign JSON: one object with campaign fields and {@code segments[].recipients[]}. Every string is
 * bounded by the parser ({@code max-value-length}); a recipient is built token by token, so one that
 * grows past {@code max-row-length} or {@code max-variables} is reported and skipped unbuilt.
 */
@Component
public class JsonCampaignParser implements CampaignFileParser {

    private final ReadLimits limits;
    private final JsonFactory factory;

    public JsonCampaignParser(ReadLimits limits) {
        this.limits = limits;
        this.factory = limits.valueBoundedJson();
    }

    @Override
    public FileFormat format() {
        return FileFormat.JSON;
    }

    @Override
    public CampaignDefinition definition(InputStream in, String fallbackId) throws IOException {
        try (JsonParser json = open(in)) {
            return DefinitionReader.guarded(json, () -> {
                CampaignDefinition definition = DefinitionReader.read(json, fallbackId, limits.maxRowLength()).definition();
                if (json.nextToken() != null) {
                    throw new BrokenFileException(DefinitionReader.line(json), "", "content after the campaign object");
                }
                return definition;
            });
        }
    }

    @Override
    public void rows(InputStream in, CampaignDefinition campaign, RowSink sink) throws IOException {
        try (JsonParser json = open(in)) {
            DefinitionReader.guarded(json, () -> {
                json.nextToken();
                while (json.nextToken() == JsonToken.FIELD_NAME) {
                    String field = json.currentName();
                    json.nextToken();
                    if ("segments".equals(field)) {
                        segments(json, sink);
                    } else {
                        json.skipChildren();
                    }
                }
                return null;
            });
        }
    }

    JsonParser open(InputStream in) throws IOException {
        java.io.BufferedReader reader = new java.io.BufferedReader(Utf8Text.strictReader(in));
        try {
            Utf8Text.firstOfNonEmpty(reader);
        } catch (java.nio.charset.CharacterCodingException e) {
            throw Utf8Text.notUtf8(1, e);
        }
        return factory.createParser(reader);
    }

    private void segments(JsonParser json, RowSink sink) throws IOException {
        int segment = 0;
        while (json.nextToken() == JsonToken.START_OBJECT) {
            while (json.nextToken() == JsonToken.FIELD_NAME) {
                String field = json.currentName();
                json.nextToken();
                if ("recipients".equals(field) && json.currentToken() == JsonToken.START_ARRAY) {
                    recipients(json, segment, sink);
                } else {
                    json.skipChildren();
                }
            }
            segment++;
        }
    }

    private void recipients(JsonParser json, int segment, RowSink sink) throws IOException {
        while (json.nextToken() != JsonToken.END_ARRAY) {
            long line = DefinitionReader.line(json);
            if (json.currentToken() != JsonToken.START_OBJECT) {
                json.skipChildren();
                sink.problem(new Problem(line, "recipients", "a recipient must be an object"));
                continue;
            }
            int depth = json.getParsingContext().getNestingDepth();
            Map<String, Object> variables;
            try {
                variables = recipient(json, new Budget(json.currentTokenLocation().getCharOffset(), line));
            } catch (TooLarge tooLarge) {
                sink.problem(tooLarge.problem);
                while (json.getParsingContext().getNestingDepth() >= depth) {
                    json.nextToken();   // strings skipped here are never built
                }
                continue;
            }
            Object email = variables.remove("email");
            Optional<Problem> problem = limits.variables(line, "", variables);
            if (problem.isPresent()) {
                sink.problem(problem.get());
            } else {
                sink.row(new Row(line, segment, email == null ? null : email.toString(), null, null, Map.of(), variables));
            }
        }
    }

    /** The recipient object as a map, refused as soon as it outgrows a row. */
    private Map<String, Object> recipient(JsonParser json, Budget budget) throws IOException {
        Map<String, Object> fields = new LinkedHashMap<>();
        while (json.nextToken() == JsonToken.FIELD_NAME) {
            String name = json.currentName();
            json.nextToken();
            budget.field = name;
            fields.put(name, value(json, budget));
            int variables = fields.size() - (fields.containsKey("email") ? 1 : 0);
            if (variables > limits.maxVariables()) {
                throw new TooLarge(new Problem(budget.line, "", limits.tooManyVariables(variables)));
            }
        }
        return fields;
    }

    private Object value(JsonParser json, Budget budget) throws IOException {
        budget.check(json);
        return switch (json.currentToken()) {
            case START_OBJECT -> {
                Map<String, Object> object = new LinkedHashMap<>();
                while (json.nextToken() == JsonToken.FIELD_NAME) {
                    String name = json.currentName();
                    json.nextToken();
                    object.put(name, value(json, budget));
                }
                yield object;
            }
            case START_ARRAY -> {
                List<Object> array = new ArrayList<>();
                while (json.nextToken() != JsonToken.END_ARRAY) {
                    array.add(value(json, budget));
                }
                yield array;
            }
            case VALUE_STRING -> json.getText();
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> json.getNumberValue();
            case VALUE_TRUE -> Boolean.TRUE;
            case VALUE_FALSE -> Boolean.FALSE;
            default -> null;
        };
    }

    /** Characters one recipient may span, counted from its opening brace. */
    private final class Budget {
        private final long start;
        private final long line;
        /** The recipient's field being read, named when the budget runs out. */
        private String field = "";

        Budget(long start, long line) {
            this.start = start;
            this.line = line;
        }

        /** Before a value is built: a string can add at most {@code max-value-length} past this point. */
        void check(JsonParser json) {
            if (json.currentLocation().getCharOffset() - start > limits.maxRowLength()) {
                throw new TooLarge(new Problem(line, field, limits.rowTooLong("a recipient object")));
            }
        }
    }

    /** Unwinds the recursive read of a recipient that broke a bound; the caller skips the rest of it. */
    private static final class TooLarge extends RuntimeException {
        private final transient Problem problem;

        TooLarge(Problem problem) {
            super(problem.reason(), null, false, false);
            this.problem = problem;
        }
    }
}
