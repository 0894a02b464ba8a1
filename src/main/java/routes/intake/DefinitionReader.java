package routes.intake;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.io.JsonEOFException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import java.io.IOException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The campaign fields of a JSON campaign or manifest, read with the streaming parser. The
 * {@code recipients} arrays of segments are skipped here and streamed later.
 */
final class DefinitionReader {

    /** What a manifest says besides the campaign fields. */
    record Header(CampaignDefinition definition, String recipientsKey) {}

    /** The scalar campaign fields kept; any other field is skipped unread. */
    private static final Set<String> TEXT_FIELDS = Set.of("campaignId", "name", "from", "replyTo", "configurationSet",
            "template", "subject", "callbackUrl", "recipientsKey");

    private DefinitionReader() {
    }

    /** Where the campaign fields started, and how much of the file since then was skipped, not kept. */
    private static final class Extent {
        private final long start;
        private final long max;
        private long skipped;

        Extent(JsonParser json, long max) {
            this.start = json.currentTokenLocation().getCharOffset();
            this.max = max;
        }

        void skip(JsonParser json) throws IOException {
            long before = json.currentLocation().getCharOffset();
            json.skipChildren();
            skipped += json.currentLocation().getCharOffset() - before;
        }

        void check(JsonParser json, String field) {
            if (json.currentLocation().getCharOffset() - start - skipped > max) {
                throw new BrokenFileException(line(json), field, "the campaign fields are longer than " + max
                        + " characters (" + ReadLimits.ROW_KEY + "); the file is not read past them");
            }
        }
    }

    /**
     * @param maxLength characters the campaign fields may span, besides the skipped recipient arrays: a
     *                  file of a million tags or segments would otherwise be held whole
     */
    static Header read(JsonParser json, String fallbackId, long maxLength) throws IOException {
        JsonToken first = json.nextToken();
        if (first == JsonToken.START_ARRAY) {
            throw new BrokenFileException(line(json), "", "a JSON array; a campaign file holds one JSON object");
        }
        if (first != JsonToken.START_OBJECT) {
            throw new BrokenFileException(line(json), "", "not a JSON object");
        }
        Map<String, String> text = new LinkedHashMap<>();
        Map<Integer, String> byWeek = new LinkedHashMap<>();
        Map<String, String> tags = new LinkedHashMap<>();
        List<CampaignDefinition.Segment> segments = new ArrayList<>();
        Instant sendAt = null;
        Extent extent = new Extent(json, maxLength);
        while (json.nextToken() == JsonToken.FIELD_NAME) {
            String field = json.currentName();
            JsonToken value = json.nextToken();
            switch (field) {
                case "sendAt" -> sendAt = instant(json, value);
                case "templateByWeekOfMonth" -> stringMap(json, field, extent, (k, v) -> byWeek.put(week(json, k), v));
                case "tags" -> stringMap(json, field, extent, tags::put);
                case "segments" -> segments(json, extent, segments::add);
                default -> {
                    if (value.isScalarValue() && TEXT_FIELDS.contains(field)) {
                        text.put(field, json.getValueAsString());
                    } else {
                        extent.skip(json);
                    }
                }
            }
            extent.check(json, field);
        }
        String id = blankToNull(text.get("campaignId"));
        return new Header(new CampaignDefinition(id == null ? fallbackId : id, text.get("name"), sendAt,
                text.get("from"), text.get("replyTo"), text.get("configurationSet"), text.get("template"),
                byWeek, text.get("subject"), tags, text.get("callbackUrl"), segments),
                blankToNull(text.get("recipientsKey")));
    }

    /** Runs a read, turning parser errors into the file-level problem the report shows. */
    static <T> T guarded(JsonParser json, IoSupplier<T> read) throws IOException {
        try {
            return read.get();
        } catch (JsonEOFException e) {
            throw new BrokenFileException(line(json), "", "truncated JSON: the file ends inside a value");
        } catch (java.nio.charset.CharacterCodingException e) {
            throw Utf8Text.notUtf8(line(json), e);
        } catch (StreamConstraintsException e) {
            String tooLong = ReadLimits.stringTooLong(json, e);
            throw new BrokenFileException(line(json), tooLong == null ? "" : nameOrEmpty(json),
                    tooLong == null ? "malformed JSON: " + e.getOriginalMessage() : tooLong + "; the file is not read past it");
        } catch (JsonProcessingException e) {
            throw new BrokenFileException(line(json), "", "malformed JSON: " + e.getOriginalMessage());
        }
    }

    interface IoSupplier<T> {
        T get() throws IOException;
    }

    /** The name of the field being read, or empty outside an object. */
    static String nameOrEmpty(JsonParser json) {
        String name = json.getParsingContext().getCurrentName();
        return name == null ? "" : name;
    }

    static long line(JsonParser json) {
        return json.currentTokenLocation().getLineNr();
    }

    private static Instant instant(JsonParser json, JsonToken value) throws IOException {
        if (value == JsonToken.VALUE_NULL) {
            return null;
        }
        String raw = json.getValueAsString();
        try {
            return OffsetDateTime.parse(raw).toInstant();
        } catch (DateTimeParseException | NullPointerException e) {
            throw new BrokenFileException(line(json), "sendAt",
                    "unparseable date '" + raw + "'; expected ISO-8601 with offset, e.g. 2026-05-01T09:00:00+02:00");
        }
    }

    private static int week(JsonParser json, String key) {
        try {
            int week = Integer.parseInt(key);
            if (week >= 1 && week <= 5) {
                return week;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new BrokenFileException(line(json), "templateByWeekOfMonth", "key '" + key + "' is not a week 1..5");
    }

    private static void stringMap(JsonParser json, String field, Extent extent,
                                  java.util.function.BiConsumer<String, String> put) throws IOException {
        if (json.currentToken() != JsonToken.START_OBJECT) {
            throw new BrokenFileException(line(json), field, "must be an object of strings");
        }
        while (json.nextToken() == JsonToken.FIELD_NAME) {
            String key = json.currentName();
            json.nextToken();
            if (!json.currentToken().isScalarValue()) {
                throw new BrokenFileException(line(json), field + "." + key, "must be a string");
            }
            put.accept(key, json.getValueAsString());
            extent.check(json, field + "." + key);
        }
    }

    private static void segments(JsonParser json, Extent extent, Consumer<CampaignDefinition.Segment> add)
            throws IOException {
        if (json.currentToken() != JsonToken.START_ARRAY) {
            throw new BrokenFileException(line(json), "segments", "must be an array");
        }
        while (json.nextToken() == JsonToken.START_OBJECT) {
            Map<String, String> fields = new LinkedHashMap<>();
            while (json.nextToken() == JsonToken.FIELD_NAME) {
                String field = json.currentName();
                JsonToken value = json.nextToken();
                if (value.isScalarValue()) {
                    fields.put(field, json.getValueAsString());
                } else {
                    extent.skip(json);
                }
                extent.check(json, "segments");
            }
            add.accept(new CampaignDefinition.Segment(fields.get("listName"), fields.get("template"),
                    fields.get("from"), fields.get("subject")));
        }
        if (json.currentToken() != JsonToken.END_ARRAY) {
            throw new BrokenFileException(line(json), "segments", "every segment must be an object");
        }
    }

    static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
