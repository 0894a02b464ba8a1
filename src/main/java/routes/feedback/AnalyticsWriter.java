package routes.feedback;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.zip.GZIPOutputStream;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.springframework.stereotype.Component;
import routes.aws.AwsProperties;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The analytics output: every event as one JSON line, written in gzip batches to
 * {@code analytics/events/dt=YYYY-MM-DD/<uuid>.jsonl.gz}, one file per event date in the batch.
 */
@Component
public class AnalyticsWriter {

    private static final String PREFIX = "analytics/events/";

    private final S3Client s3;
    private final String bucket;
    private final ObjectMapper json;

    public AnalyticsWriter(S3Client s3, AwsProperties aws, ObjectMapper json) {
        this.s3 = s3;
        this.bucket = aws.bucket();
        this.json = json;
    }

    /** The analytics line of one recipient event: the SES event plus the correlation. */
    public String line(RecipientEvent event) throws JsonProcessingException {
        ObjectNode line = json.createObjectNode()
                .put("messageId", event.messageId())
                .put("campaignId", event.campaignId())
                .put("type", event.type())
                .put("kind", event.kind())
                .put("timestamp", event.event().timestamp())
                .put("recipient", event.recipient());
        line.set("event", event.event().json());
        return json.writeValueAsString(line);
    }

    /** Writes the batch; returns the keys written. */
    public List<String> write(List<String> lines) {
        Map<String, List<String>> byDate = lines.stream().collect(Collectors.groupingBy(AnalyticsWriter::dateOf,
                TreeMap::new, Collectors.toList()));
        return byDate.entrySet().stream().map(date -> {
            String key = folderOf(date.getKey()) + UUID.randomUUID() + ".jsonl.gz";
            put(key, date.getValue());
            return key;
        }).toList();
    }

    /** The folder of one event date's files, {@code analytics/events/dt=YYYY-MM-DD/}. */
    public static String folderOf(String date) {
        return PREFIX + "dt=" + date + "/";
    }

    /** Writes (or rewrites) one analytics file. */
    void put(String key, List<String> lines) {
        s3.putObject(b -> b.bucket(bucket).key(key).contentType("application/x-ndjson").contentEncoding("gzip"),
                RequestBody.fromBytes(gzip(lines)));
    }

    /** The date of a line's event: the first ten characters of its ISO timestamp. */
    private static String dateOf(String line) {
        int at = line.indexOf("\"timestamp\":\"");
        return at < 0 || line.length() < at + 23 ? "unknown" : line.substring(at + 13, at + 23);
    }

    private static byte[] gzip(List<String> lines) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(bytes)) {
            for (String line : lines) {
                out.write(line.getBytes(StandardCharsets.UTF_8));
                out.write('\n');
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }
}
