package routes.api;

import java.util.List;
import java.util.Map;
import org.apache.camel.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import routes.aws.AwsProperties;
import routes.model.EmailRequest;
import routes.store.Ledger;
import routes.store.SuppressionList;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * {@code DELETE /api/v1/recipients/{email}}, GDPR erasure: ledger rows and their events carry the
 * address's pseudonym instead, metadata is dropped, and a suppression survives only under the
 * pseudonym, and stored transactional requests are deleted. Analytics files in S3 are not rewritten
 * (see docs/api.md).
 */
@Component
public class RecipientErasure {

    private static final Logger LOG = LoggerFactory.getLogger(RecipientErasure.class);

    private final Ledger ledger;
    private final SuppressionList suppressions;
    private final S3Client s3;
    private final AwsProperties aws;

    public RecipientErasure(Ledger ledger, SuppressionList suppressions, S3Client s3, AwsProperties aws) {
        this.ledger = ledger;
        this.suppressions = suppressions;
        this.s3 = s3;
        this.aws = aws;
    }

    public ApiReply erase(@Header("email") String email) {
        String address = ApiInput.address("email", email);
        String pseudonym = SuppressionList.pseudonym(address);
        List<String> messages = ledger.eraseRecipient(address, pseudonym);
        // Deleting a missing key is a no-op, so campaign rows need no check for a stored request.
        messages.forEach(id -> s3.deleteObject(b -> b.bucket(aws.bucket()).key(EmailRequest.contentKey(id))));
        boolean suppressed = suppressions.replaceWithPseudonym(address, pseudonym);
        LOG.info("Erased recipient {}: {} ledger rows, suppression kept as pseudonym: {}", pseudonym, messages.size(), suppressed);
        return ApiReply.json(200, Map.of("success", true, "pseudonym", pseudonym, "erasedMessages", messages.size(),
                "suppressionKept", suppressed));
    }
}
