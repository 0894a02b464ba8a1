package routes.intake;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.CharacterCodingException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * JSONL of SES SendEmail arguments (seed 003): one object per line. Each address of
 * {@code Destination.ToAddresses} becomes one recipient; the campaign id comes from the first
 * {@code campaignId} email tag, else from the file.
 */
@Component
public class JsonlCampaignParser implements CampaignFileParser {

    private static final String CAMPAIGN_TAG = "campaignId";
    private final ObjectMapper mapper = new ObjectMapper();

    @Override
    public FileFormat format() {
        return FileFormat.JSONL;
    }

    @Override
    public CampaignDefinition definition(InputStream in, String fallbackId) throws IOException {
        String[] found = new String[2];
        read(in, (line, node) -> {
            Map<String, String> tags = tags(node);
            found[0] = tags.get(CAMPAIGN_TAG);
            found[1] = text(node, "ConfigurationSetName");
            return false;
        }, problem -> { });
        String id = DefinitionReader.blankToNull(found[0]);
        return new CampaignDefinition(id == null ? fallbackId : id, null, null, null, null, found[1], null,
                Map.of(), null, Map.of(), null, List.of());
    }

    @Override
    public void rows(InputStream in, CampaignDefinition campaign, RowSink sink) throws IOException {
        read(in, (line, node) -> {
            row(line, node, sink);
            return true;
        }, sink::problem);
    }

    private interface LineHandler {
        /** @return whether to go on reading */
        boolean accept(long line, JsonNode node) throws IOException;
    }

    private void read(InputStream in, LineHandler handler, java.util.function.Consumer<Problem> problems)
            throws IOException {
        BufferedReader reader = new BufferedReader(Utf8Text.strictReader(in), 64 * 1024);
        long line = 0;
        try {
            int first = Utf8Text.firstOfNonEmpty(reader);
            if (first != '{') {
                throw new BrokenFileException(1, "", "not JSON lines: the first line does not start with '{'");
            }
            String text;
            while ((text = reader.readLine()) != null) {
                line++;
                if (text.isBlank()) {
                    continue;
                }
                JsonNode node;
                try {
                    node = mapper.readTree(text);
                } catch (JsonProcessingException e) {
                    problems.accept(new Problem(line, "", "not valid JSON: " + e.getOriginalMessage()));
                    continue;
                }
                if (!node.isObject()) {
                    problems.accept(new Problem(line, "", "a line must hold one JSON object"));
                } else if (!handler.accept(line, node)) {
                    return;
                }
            }
        } catch (CharacterCodingException e) {
            throw Utf8Text.notUtf8(line + 1, e);
        }
    }

    private void row(long line, JsonNode node, RowSink sink) {
        JsonNode to = node.path("Destination").path("ToAddresses");
        if (!to.isArray() || to.isEmpty()) {
            sink.problem(new Problem(line, "Destination.ToAddresses", "missing or empty"));
            return;
        }
        JsonNode template = node.path("Content").path("Template");
        Map<String, Object> variables = new LinkedHashMap<>();
        JsonNode data = template.path("TemplateData");
        if (data.isTextual() && !data.asText().isBlank()) {
            try {
                JsonNode parsed = mapper.readTree(data.asText());
                if (!parsed.isObject()) {
                    throw new IllegalArgumentException();
                }
                variables.putAll(mapper.convertValue(parsed, Map.class));
            } catch (JsonProcessingException | IllegalArgumentException e) {
                sink.problem(new Problem(line, "Content.Template.TemplateData", "not a JSON object string"));
                return;
            }
        }
        Map<String, String> tags = tags(node);
        for (JsonNode address : to) {
            sink.row(new Row(line, 0, address.asText(), text(template, "TemplateName"),
                    text(node, "FromEmailAddress"), tags, variables));
        }
    }

    private static Map<String, String> tags(JsonNode node) {
        Map<String, String> tags = new LinkedHashMap<>();
        for (JsonNode tag : node.path("EmailTags")) {
            tags.put(tag.path("Name").asText(), tag.path("Value").asText());
        }
        return tags;
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }
}
