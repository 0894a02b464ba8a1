package routes.api;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.camel.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import routes.aws.AwsProperties;
import routes.feedback.AnalyticsErasure;
import routes.feedback.EventCorrelator;
import routes.model.EmailRequest;
import routes.store.Ledger;
import routes.store.LedgerErasure;
import routes.store.SuppressionList;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * {@code DELETE /api/v1/recipients/{email}}, GDPR erasure: ledger rows and their events carry the
 * address's pseudonym instead, metadata is dropped, and a suppression survives only under the
 * pseudonym, stored transactional requests are deleted, and analytics files naming the address are
 * rewritten with the pseudonym.
 */
@Component
public class RecipientErasure {

    private static final Logger LOG = LoggerFactory.getLogger(RecipientErasure.class);

    private final LedgerErasure ledger;
    private final SuppressionList suppressions;
    private final S3Client s3;
    private final AwsProperties aws;
    private final AnalyticsErasure analytics;
    private final EventCorrelator correlator;

    public RecipientErasure(LedgerErasure ledger, SuppressionList suppressions, S3Client s3, AwsProperties aws,
                            AnalyticsErasure analytics, EventCorrelator correlator) {
        this.analytics = analytics;
        this.correlator = correlator;
        this.ledger = ledger;
        this.suppressions = suppressions;
        this.s3 = s3;
        this.aws = aws;
    }

    public ApiReply erase(@Header("email") String email) {
        String address = ApiInput.pathAddress("email", email);
        String pseudonym = SuppressionList.pseudonym(address);
        List<Ledger.Entry> rows = ledger.eraseRecipient(address, pseudonym);
        correlator.forget(rows.stream().map(Ledger.Entry::messageId).toList());
        // Deleting a missing key is a no-op, so campaign rows need no check for a stored request.
        rows.forEach(row -> s3.deleteObject(b -> b.bucket(aws.bucket()).key(EmailRequest.contentKey(row.messageId()))));
        int analyticsFiles = rows.stream().map(Ledger.Entry::createdAt).filter(Objects::nonNull).min(String::compareTo)
                .map(first -> analytics.erase(address, pseudonym, LocalDate.parse(first.substring(0, 10))))
                .orElse(0);
        boolean suppressed = suppressions.replaceWithPseudonym(address, pseudonym);
        LOG.info("Erased recipient {}: {} ledger rows, {} analytics files, suppression kept as pseudonym: {}",
                pseudonym, rows.size(), analyticsFiles, suppressed);
        return ApiReply.json(200, Map.of("success", true, "pseudonym", pseudonym, "erasedMessages", rows.size(),
                "analyticsFilesRewritten", analyticsFiles, "suppressionKept", suppressed));
    }
}
