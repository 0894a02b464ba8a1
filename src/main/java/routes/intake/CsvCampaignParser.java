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
import routes.model.SendChunk;

/**
 * CSV (RFC 4180, header row, column {@code email}, every other column a variable) plus a manifest
 * JSON with the campaign fields. A record longer than {@code max-row-length} stops the read (the end
 * of a quoted field cannot be found without reading it, so the file is rejected); a longer value
 * than {@code max-value-length} is an invalid row.
 */
@Component
public class CsvCampaignParser implements CampaignFileParser {

    private static final CSVFormat FORMAT = CSVFormat.RFC4180.builder().setTrim(false).build();
    private final IntakeProperties properties;
    private final ReadLimits limits;
    private final JsonFactory factory;

    public CsvCampaignParser(IntakeProperties properties, ReadLimits limits) {
        this.properties = properties;
        this.limits = limits;
        this.factory = limits.valueBoundedJson();
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
            return DefinitionReader.guarded(json, () -> DefinitionReader.read(json, fallbackId, limits.maxRowLength()));
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
            RecordBoundedReader bounded = new RecordBoundedReader(reader, limits.maxRowLength());
            try (CSVParser csv = FORMAT.parse(bounded)) {
                java.util.Iterator<CSVRecord> records = csv.iterator();
                List<String> header = header(records.next());
                bounded.recordDone();
                line = csv.getCurrentLineNumber() + 1;
                while (records.hasNext()) {
                    CSVRecord record = records.next();
                    bounded.recordDone();
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
            if (e.getCause() instanceof RecordBoundedReader.RecordTooLong) {
                throw new BrokenFileException(line, "", limits.rowTooLong("a record")
                        + "; a quoted field may hide where it ends, so the file is not read past it");
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
            if (SendChunk.Recipient.RESERVED_VARIABLES.contains(name)) {
                throw new BrokenFileException(1, name, ReadLimits.reserved());
            }
        }
        if (names.size() - 1 > limits.maxVariables()) {
            throw new BrokenFileException(1, "", "the header has " + limits.tooManyVariables(names.size() - 1L));
        }
        return names;
    }

    private void row(CSVRecord record, List<String> header, long line, RowSink sink) {
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
            if (record.get(i).length() > properties.maxValueLength()) {
                sink.problem(new Problem(line, header.get(i), limits.valueTooLong(record.get(i).length())));
                return;
            }
            if ("email".equals(header.get(i))) {
                email = record.get(i);
            } else {
                variables.put(header.get(i), record.get(i));
            }
        }
        sink.row(new Row(line, 0, email, null, null, Map.of(), variables));
    }
}
