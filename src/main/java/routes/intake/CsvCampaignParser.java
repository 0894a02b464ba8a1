package routes.intake;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.springframework.stereotype.Component;

/**
 * CSV (RFC 4180, header row, column {@code email}, every other column a variable) plus a manifest
 * JSON with the campaign fields.
 */
@Component
public class CsvCampaignParser implements CampaignFileParser {

    private static final CSVFormat FORMAT = CSVFormat.RFC4180.builder().setTrim(false).build();
    private final JsonFactory factory = new JsonFactory();
    private final IntakeProperties properties;

    public CsvCampaignParser(IntakeProperties properties) {
        this.properties = properties;
    }

    @Override
    public FileFormat format() {
        return FileFormat.CSV;
    }

    /** Reads the manifest: the campaign fields and, optionally, where the CSV is. */
    public DefinitionReader.Header manifest(InputStream in, String fallbackId) throws IOException {
        BufferedReader reader = new BufferedReader(Utf8Text.strictReader(in));
        if (Utf8Text.firstSignificant(reader) == -1) {
            throw new BrokenFileException(0, "manifest", "empty manifest");
        }
        try (JsonParser json = factory.createParser(reader)) {
            return DefinitionReader.guarded(json, () -> DefinitionReader.read(json, fallbackId));
        }
    }

    @Override
    public CampaignDefinition definition(InputStream in, String fallbackId) throws IOException {
        return manifest(in, fallbackId).definition();
    }

    @Override
    public void rows(InputStream in, CampaignDefinition campaign, RowSink sink) throws IOException {
        BufferedReader reader = new BufferedReader(Utf8Text.strictReader(in), 64 * 1024);
        long line = 1;
        try {
            int first = Utf8Text.firstOfNonEmpty(reader);
            if (first == '{' || first == '[') {
                throw new BrokenFileException(1, "", "the content is JSON, but the extension says CSV");
            }
            try (CSVParser csv = FORMAT.parse(reader)) {
                java.util.Iterator<CSVRecord> records = csv.iterator();
                List<String> header = header(records.next());
                line = csv.getCurrentLineNumber() + 1;
                while (records.hasNext()) {
                    CSVRecord record = records.next();
                    row(record, header, line, sink);
                    line = csv.getCurrentLineNumber() + 1;
                }
            }
        } catch (CharacterCodingException e) {
            throw Utf8Text.notUtf8(line, e);
        } catch (UncheckedIOException e) {
            if (e.getCause() instanceof CharacterCodingException coding) {
                throw Utf8Text.notUtf8(line, coding);
            }
            throw new BrokenFileException(line, "", "malformed CSV: " + e.getCause().getMessage());
        } catch (IllegalStateException e) {
            throw new BrokenFileException(line, "", "malformed CSV: " + e.getMessage());
        }
    }

    private List<String> header(CSVRecord record) {
        List<String> names = record.toList().stream().map(String::trim).toList();
        if (names.size() > properties.maxColumns()) {
            throw new BrokenFileException(1, "", "the header has " + names.size() + " columns; at most "
                    + properties.maxColumns() + " are allowed (mailroutes.intake.max-columns)");
        }
        if (!names.contains("email")) {
            throw new BrokenFileException(1, "email", "the header has no 'email' column");
        }
        Set<String> seen = new HashSet<>();
        for (String name : names) {
            if (name.isEmpty() || !seen.add(name)) {
                throw new BrokenFileException(1, name, name.isEmpty() ? "a column has no name" : "column appears twice");
            }
        }
        return names;
    }

    private static void row(CSVRecord record, List<String> header, long line, RowSink sink) {
        if (record.size() == 1 && record.get(0).isEmpty()) {
            return;
        }
        if (record.size() != header.size()) {
            sink.problem(new Problem(line, "", "the row has " + record.size() + " fields; the header has "
                    + header.size()));
            return;
        }
        Map<String, Object> variables = new LinkedHashMap<>();
        String email = null;
        for (int i = 0; i < header.size(); i++) {
            if ("email".equals(header.get(i))) {
                email = record.get(i);
            } else {
                variables.put(header.get(i), record.get(i));
            }
        }
        sink.row(new Row(line, 0, email, null, null, Map.of(), variables));
    }
}
