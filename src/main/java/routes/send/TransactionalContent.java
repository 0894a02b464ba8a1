package routes.send;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;
import routes.aws.AwsProperties;
import routes.model.EmailRequest;
import routes.model.SendChunk.Recipient;
import routes.store.EventLog;
import routes.store.SuppressionList;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/**
 * Reads back the request of a transactional email, which the API stored in S3 (subject, bodies,
 * cc/bcc, attachments) so the chunk on the transactional queue only names it. A request that is gone
 * (erased before it was sent) fails that email for good; any other S3 error is left to the chunk's retry.
 * The chunk's recipient (the first {@code to}) was looked up in the suppression list when the chunk
 * opened; the other addresses are looked up here, right before the mail is built, and a suppressed one
 * is left out of the mail and its destinations, with a {@code Suppressed} event in the email's log.
 */
@Component
public class TransactionalContent {

    static final String SUPPRESSED_EVENT = "Suppressed";
    private static final Logger LOG = LoggerFactory.getLogger(TransactionalContent.class);

    private final S3Client s3;
    private final String bucket;
    private final ObjectReader reader;
    private final SuppressionList suppressions;
    private final EventLog events;
    private final Clock clock;

    public TransactionalContent(S3Client s3, AwsProperties aws, ObjectMapper json, SuppressionList suppressions,
                                EventLog events, Clock clock) {
        this.s3 = s3;
        this.bucket = aws.bucket();
        this.reader = json.readerFor(EmailRequest.class);
        this.suppressions = suppressions;
        this.events = events;
        this.clock = clock;
    }

    /** The stored request of a transactional recipient, without suppressed addresses; empty for a campaign recipient. */
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
        EmailRequest request;
        try {
            request = reader.readValue(stored);
        } catch (IOException e) {
            throw new TemplateFailure("ContentMissing", "stored request " + key + " is not readable: " + e.getMessage());
        }
        // Requests stored before the API checked attachment headers: refused here rather than copied into a header.
        for (EmailRequest.Attachment attachment : request.attachments() == null ? List.<EmailRequest.Attachment>of() : request.attachments()) {
            attachment.headerProblem().ifPresent(problem -> {
                throw new TemplateFailure("ContentInvalid", "stored request " + key + ": attachment "
                        + problem.field() + " must be " + problem.rule());
            });
        }
        return Optional.of(withoutSuppressed(recipient.messageId(), request));
    }

    private EmailRequest withoutSuppressed(String messageId, EmailRequest request) {
        List<String> others = new ArrayList<>(request.destinations());
        others.remove(0);
        Set<String> suppressed = others.isEmpty() ? Set.of() : suppressions.suppressedAmong(others);
        if (suppressed.isEmpty()) {
            return request;
        }
        List<String> to = new ArrayList<>(request.to().subList(0, 1));
        to.addAll(kept(messageId, "to", request.to().subList(1, request.to().size()), suppressed));
        LOG.info("Message {}: {} suppressed addresses left out of to/cc/bcc", messageId, suppressed.size());
        return new EmailRequest(to, kept(messageId, "cc", request.cc(), suppressed),
                kept(messageId, "bcc", request.bcc(), suppressed), request.subject(), request.bodyText(),
                request.bodyHtml(), request.template(), request.data(), request.from(), request.replyTo(),
                request.attachments(), request.metadata(), request.tags());
    }

    /** The addresses of {@code field} that are not suppressed; each left out is logged as an event of the email. */
    private List<String> kept(String messageId, String field, List<String> addresses, Set<String> suppressed) {
        if (addresses == null) {
            return null;
        }
        List<String> kept = new ArrayList<>();
        for (String address : addresses) {
            String normalised = SuppressionList.normalise(address);
            if (suppressed.contains(normalised)) {
                events.append(messageId, clock.instant() + "#" + SUPPRESSED_EVENT + "#" + normalised,
                        Map.of("field", field, "address", normalised));
            } else {
                kept.add(address);
            }
        }
        return kept;
    }
}
