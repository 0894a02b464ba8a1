package routes.intake;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * JSONL of SES SendEmail arguments (seed 003): one object per line. Each address of
 * {@code Destination.ToAddresses} becomes one recipient; the campaign id comes from the first
 * {@code campaignId} email tag, else from the file. A line is kept only up to {@code max-row-length}
 * (a longer one is an invalid row, read past unstored), the values in its template data up to
 * {@code max-value-length}.
 */
@Component
public class JsonlCampaignParser implements CampaignFileParser {

    private static final String CAMPAIGN_TAG = "campaignId";
    private static final String TEMPLATE_DATA = "Content.Template.TemplateData";
    private final ReadLimits limits;
    /** A line is bounded already; its strings may be as long as the line. */
    private final ObjectMapper mapper;
    private final ObjectMapper templateData;

    public JsonlCampaignParser(ReadLimits limits) {
        this.limits = limits;
        this.mapper = new ObjectMapper(ReadLimits.json(limits.maxRowLength()));
        this.templateData = new ObjectMapper(limits.valueBoundedJson());
    }

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
            BoundedLines lines = new BoundedLines(reader, limits.maxRowLength());
            BoundedLines.Line next;
            while ((next = lines.next()) != null) {
                line++;
                if (next.tooLong()) {
                    problems.accept(new Problem(line, "", limits.rowTooLong("a line")
                            + ": " + next.length() + " characters, skipped unread"));
                    continue;
                }
                String text = next.text();
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
            try (JsonParser json = templateData.createParser(data.asText())) {
                try {
                    JsonNode parsed = templateData.readTree(json);
                    if (parsed == null || !parsed.isObject()) {
                        throw new IllegalArgumentException();
                    }
                    variables.putAll(templateData.convertValue(parsed, Map.class));
                } catch (StreamConstraintsException e) {
                    String tooLong = ReadLimits.stringTooLong(json, e);
                    sink.problem(new Problem(line, TEMPLATE_DATA + "." + DefinitionReader.nameOrEmpty(json),
                            tooLong == null ? "not a JSON object string: " + e.getOriginalMessage() : tooLong));
                    return;
                } catch (JsonProcessingException | IllegalArgumentException e) {
                    sink.problem(new Problem(line, TEMPLATE_DATA, "not a JSON object string"));
                    return;
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        Optional<Problem> bounds = limits.variables(line, TEMPLATE_DATA + ".", variables);
        if (bounds.isPresent()) {
            sink.problem(bounds.get());
            return;
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
