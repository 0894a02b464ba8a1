package routes.intake;

import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Optional;
import org.apache.camel.Body;
import org.apache.camel.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;

/**
 * Looks at an inbox object's metadata (never its content, except a manifest's few bytes) and decides:
 * take it, let it wait for its partner, skip it, or refuse it unread (too large, unknown kind).
 */
@Component
public class IntakeFiles {

    public static final String INBOX = "inbox/";
    private static final Logger LOG = LoggerFactory.getLogger(IntakeFiles.class);
    private static final long MAX_MANIFEST_BYTES = 1024 * 1024;

    private final CampaignObjects objects;
    private final CsvCampaignParser csv;
    private final Clock clock;
    private volatile long maxFileSize;
    private volatile Duration manifestWait;

    public IntakeFiles(CampaignObjects objects, CsvCampaignParser csv, Clock clock, IntakeProperties properties) {
        this.objects = objects;
        this.csv = csv;
        this.clock = clock;
        this.maxFileSize = properties.maxFileSize().toBytes();
        this.manifestWait = properties.manifestWait();
    }

    /** Changes at runtime how long a manifest and its CSV wait for each other. */
    public void setManifestWait(Duration manifestWait) {
        this.manifestWait = manifestWait;
    }

    public Duration manifestWait() {
        return manifestWait;
    }

    /** Changes the size limit at runtime (operations, and tests that cannot upload gigabytes). */
    public void setMaxFileSize(long bytes) {
        this.maxFileSize = bytes;
    }

    public long maxFileSize() {
        return maxFileSize;
    }

    public IntakeFile inspect(@Body Object body, @Header("CamelAwsS3Key") String key,
                              @Header("CamelAwsS3ETag") String etag, @Header("CamelAwsS3ContentLength") Long size,
                              @Header("CamelAwsS3LastModified") Date lastModified) {
        // The consumer opened the object; we stream it ourselves later, so release the connection
        // without draining what could be gigabytes.
        if (body instanceof ResponseInputStream<?> stream) {
            stream.abort();
        }
        long length = size == null ? 0 : size;
        Instant modified = lastModified == null ? clock.instant() : lastModified.toInstant();
        FileFormat format = FileFormat.of(key);
        IntakeFile file = decide(key, etag, length, modified, format);
        if (file.action() == IntakeFile.Action.TAKE || file.action() == IntakeFile.Action.REJECT) {
            LOG.info("Inbox object {} ({} bytes, {}): {}", key, length, format, file.action());
        }
        return file;
    }

    /**
     * A campaign file staged outside the inbox ({@code POST /api/v1/campaigns}), taken now: nothing to wait for, the
     * same size bound. {@code recipientsKey} is the CSV of a staged manifest (an upload), null for a JSON campaign;
     * a manifest whose CSV is not there is refused.
     */
    public IntakeFile submitted(String key, String recipientsKey) {
        HeadObjectResponse head = objects.head(key).orElseThrow(() -> new IllegalStateException("staged " + key + " is gone"));
        long size = head.contentLength();
        Instant modified = head.lastModified();
        FileFormat format = FileFormat.of(key);
        if (recipientsKey == null) {
            return size > maxFileSize ? tooLarge(key, head.eTag(), size, modified, format, key, size)
                    : file(key, head.eTag(), size, modified, format, IntakeFile.Action.TAKE, key, null);
        }
        Optional<HeadObjectResponse> recipients = objects.head(recipientsKey);
        if (recipients.isEmpty()) {
            return new IntakeFile(key, head.eTag(), size, modified, format, IntakeFile.Action.REJECT, key, recipientsKey,
                    new Problem(0, "recipientsKey", "no file at " + recipientsKey + ": PUT it to the upload URL first"));
        }
        if (recipients.get().contentLength() > maxFileSize) {
            return tooLarge(key, head.eTag(), size, modified, format, recipientsKey, recipients.get().contentLength());
        }
        return new IntakeFile(key, head.eTag(), size, modified, format, IntakeFile.Action.TAKE, key, recipientsKey, null);
    }

    private IntakeFile decide(String key, String etag, long size, Instant modified, FileFormat format) {
        if (key.endsWith("/")) {
            return file(key, etag, size, modified, format, IntakeFile.Action.SKIP, key, null);
        }
        if (size > maxFileSize) {
            return tooLarge(key, etag, size, modified, format, key, size);
        }
        return switch (format) {
            case JSON, JSONL -> file(key, etag, size, modified, format, IntakeFile.Action.TAKE, key, null);
            case MANIFEST -> manifest(key, etag, size, modified);
            case CSV -> objects.head(manifestOf(key)).isPresent()
                    ? file(key, etag, size, modified, format, IntakeFile.Action.SKIP, key, null)
                    : waitOrReject(key, etag, size, modified, format, key,
                    "CSV without a manifest: expected " + manifestOf(key));
            // Waits like an unpaired file: uploaders (and the embedded S3) may show a temporary name first.
            case UNKNOWN -> waitOrReject(key, etag, size, modified, format, key,
                    "unsupported file type; expected .json, .jsonl, or .csv with .manifest.json");
        };
    }

    private IntakeFile manifest(String key, String etag, long size, Instant modified) {
        String recipientsKey = recipientsKeyOf(key, size);
        Optional<HeadObjectResponse> recipients = objects.head(recipientsKey);
        if (recipients.isEmpty()) {
            return waitOrReject(key, etag, size, modified, FileFormat.MANIFEST, recipientsKey,
                    "manifest without its CSV: " + recipientsKey + " did not arrive within " + manifestWait);
        }
        long csvSize = recipients.get().contentLength();
        if (csvSize > maxFileSize) {
            return tooLarge(key, etag, size, modified, FileFormat.MANIFEST, recipientsKey, csvSize);
        }
        return new IntakeFile(key, etag, size, modified, FileFormat.MANIFEST, IntakeFile.Action.TAKE, key,
                recipientsKey, null);
    }

    /** The CSV a manifest names ({@code recipientsKey}, relative to the inbox), else its sibling. */
    private String recipientsKeyOf(String manifestKey, long size) {
        String sibling = manifestKey.substring(0, manifestKey.length() - FileFormat.MANIFEST_SUFFIX.length()) + ".csv";
        if (size > MAX_MANIFEST_BYTES) {
            return sibling;
        }
        try (InputStream in = objects.open(manifestKey)) {
            String named = csv.manifest(in, "unused").recipientsKey();
            if (named == null) {
                return sibling;
            }
            String relative = named.startsWith(INBOX) ? named.substring(INBOX.length()) : named;
            return relative.contains("..") ? sibling : INBOX + relative;
        } catch (IOException | BrokenFileException e) {
            // The broken manifest is reported when the pair is taken.
            return sibling;
        }
    }

    private IntakeFile waitOrReject(String key, String etag, long size, Instant modified, FileFormat format,
                                    String recipientsKey, String reason) {
        boolean expired = modified.plus(manifestWait).isBefore(clock.instant());
        return expired
                ? new IntakeFile(key, etag, size, modified, format, IntakeFile.Action.REJECT, key, recipientsKey,
                new Problem(0, switch (format) {
                    case CSV -> "manifest";
                    case MANIFEST -> "recipientsKey";
                    default -> "";
                }, reason))
                : new IntakeFile(key, etag, size, modified, format, IntakeFile.Action.WAIT, key, recipientsKey, null);
    }

    private IntakeFile tooLarge(String key, String etag, long size, Instant modified, FileFormat format,
                                String recipientsKey, long tooBig) {
        return new IntakeFile(key, etag, size, modified, format, IntakeFile.Action.REJECT, key, recipientsKey,
                new Problem(0, "", "file of " + tooBig + " bytes exceeds the limit of " + maxFileSize
                        + " bytes (mailroutes.intake.max-file-size); not read"));
    }

    private static IntakeFile file(String key, String etag, long size, Instant modified, FileFormat format,
                                   IntakeFile.Action action, String recipientsKey, Problem rejection) {
        return new IntakeFile(key, etag, size, modified, format, action, key, recipientsKey, rejection);
    }

    static String manifestOf(String csvKey) {
        return csvKey.substring(0, csvKey.length() - ".csv".length()) + FileFormat.MANIFEST_SUFFIX;
    }
}
