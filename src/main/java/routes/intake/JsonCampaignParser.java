package routes.intake;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.stereotype.Component;

/** Campaign JSON: one object with campaign fields and {@code segments[].recipients[]}. */
@Component
public class JsonCampaignParser implements CampaignFileParser {

    private final ObjectMapper mapper = new ObjectMapper();
    private final JsonFactory factory = mapper.getFactory();

    @Override
    public FileFormat format() {
        return FileFormat.JSON;
    }

    @Override
    public CampaignDefinition definition(InputStream in, String fallbackId) throws IOException {
        try (JsonParser json = open(in)) {
            return DefinitionReader.guarded(json, () -> {
                CampaignDefinition definition = DefinitionReader.read(json, fallbackId).definition();
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

    @SuppressWarnings("unchecked")
    private void recipients(JsonParser json, int segment, RowSink sink) throws IOException {
        while (json.nextToken() != JsonToken.END_ARRAY) {
            long line = DefinitionReader.line(json);
            if (json.currentToken() != JsonToken.START_OBJECT) {
                json.skipChildren();
                sink.problem(new Problem(line, "recipients", "a recipient must be an object"));
                continue;
            }
            Map<String, Object> variables = mapper.readValue(json, LinkedHashMap.class);
            Object email = variables.remove("email");
            sink.row(new Row(line, segment, email == null ? null : email.toString(), null, null, Map.of(), variables));
        }
    }
}
