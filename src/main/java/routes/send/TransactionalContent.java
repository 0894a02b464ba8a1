package routes.send;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import java.io.IOException;
import java.util.Optional;
import org.springframework.stereotype.Component;
import routes.aws.AwsProperties;
import routes.model.EmailRequest;
import routes.model.SendChunk.Recipient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/**
 * Reads back the request of a transactional email, which the API stored in S3 (subject, bodies,
 * cc/bcc, attachments) so the chunk on the transactional queue only names it. A request that is gone
 * (erased before it was sent) fails that email for good; any other S3 error is left to the chunk's retry.
 */
@Component
public class TransactionalContent {

    private final S3Client s3;
    private final String bucket;
    private final ObjectReader reader;

    public TransactionalContent(S3Client s3, AwsProperties aws, ObjectMapper json) {
        this.s3 = s3;
        this.bucket = aws.bucket();
        this.reader = json.readerFor(EmailRequest.class);
    }

    /** The stored request of a transactional recipient; empty for a campaign recipient. */
    public Optional<EmailRequest> of(Recipient recipient) {
        Object key = recipient.variables() == null ? null : recipient.variables().get(EmailRequest.CONTENT_KEY_VARIABLE);
        if (key == null) {
            return Optional.empty();
        }
        byte[] stored;
        try {
            stored = s3.getObjectAsBytes(b -> b.bucket(bucket).key(key.toString())).asByteArray();
        } catch (NoSuchKeyException gone) {
            throw new TemplateFailure("ContentMissing", "stored request " + key + " no longer exists");
        }
        try {
            return Optional.of(reader.readValue(stored));
        } catch (IOException e) {
            throw new TemplateFailure("ContentMissing", "stored request " + key + " is not readable: " + e.getMessage());
        }
    }
}
