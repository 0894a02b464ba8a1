package routes.feedback;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/** What the analytics output holds in S3 for one day, read back line by line. */
public final class AnalyticsFiles {

    private AnalyticsFiles() {}

    /** Every line of every {@code analytics/events/dt=<day>/} file. */
    public static List<String> linesOf(S3Client s3, String bucket, LocalDate day) {
        List<String> lines = new ArrayList<>();
        String prefix = AnalyticsWriter.folderOf(day.toString());
        for (S3Object file : s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix)).contents()) {
            byte[] gz = s3.getObjectAsBytes(b -> b.bucket(bucket).key(file.key())).asByteArray();
            try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gz))) {
                lines.addAll(new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return lines;
    }
}
