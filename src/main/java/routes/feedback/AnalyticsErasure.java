package routes.feedback;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.zip.GZIPInputStream;
import org.springframework.stereotype.Component;
import routes.aws.AwsProperties;
import routes.model.AddressPseudonym;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * GDPR erasure in the analytics files: every analytics file from {@code since} (the day of the
 * recipient's first mail; events come after it) to today that names the address is rewritten under
 * the same key with the pseudonym in its place. Costs a read of every file of those days, which an
 * erasure request, being rare, can afford. The lines still waiting on the analytics queue are written to files
 * first, so they are erased too (a line another replica is writing at that moment may escape; docs/feedback.md).
 */
@Component
public class AnalyticsErasure {

    private final S3Client s3;
    private final String bucket;
    private final AnalyticsWriter writer;
    private final AnalyticsSpool spool;
    private final Clock clock;

    public AnalyticsErasure(S3Client s3, AwsProperties aws, AnalyticsWriter writer, AnalyticsSpool spool, Clock clock) {
        this.s3 = s3;
        this.bucket = aws.bucket();
        this.writer = writer;
        this.spool = spool;
        this.clock = clock;
    }

    /** Returns the number of files rewritten. */
    public int erase(String address, String pseudonym, LocalDate since) {
        spool.writeFiles();
        AddressPseudonym erasure = new AddressPseudonym(address, pseudonym);
        LocalDate today = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
        int rewritten = 0;
        for (LocalDate day = since; !day.isAfter(today); day = day.plusDays(1)) {
            String prefix = AnalyticsWriter.folderOf(day.toString());
            for (S3Object file : s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix)).contents()) {
                String text = gunzip(s3.getObjectAsBytes(b -> b.bucket(bucket).key(file.key())).asByteArray());
                Optional<String> erased = erasure.erase(text);
                if (erased.isPresent()) {
                    writer.put(file.key(), erased.get().lines().toList());
                    rewritten++;
                }
            }
        }
        return rewritten;
    }

    private static String gunzip(byte[] gz) {
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gz))) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
