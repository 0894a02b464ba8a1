package routes.feedback;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Signature;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import org.springframework.stereotype.Component;

/**
 * Proves that an SNS Notification envelope was signed by SNS: the {@code Signature} over the canonical
 * string AWS documents ("Verifying the signatures of Amazon SNS messages"), with SHA1withRSA for
 * {@code SignatureVersion} 1 and SHA256withRSA for 2, checked against the certificate at
 * {@code SigningCertURL} ({@link SigningCertificates}).
 */
@Component
public class SnsSignatureVerifier {

    /** The signed fields of a Notification, in the order of the canonical string; Subject only when present. */
    private static final List<String> NOTIFICATION_FIELDS = List.of("Message", "MessageId", "Subject", "Timestamp",
            "TopicArn", "Type");

    private final SigningCertificates certificates;
    private final Clock clock;

    public SnsSignatureVerifier(SigningCertificates certificates, Clock clock) {
        this.certificates = certificates;
        this.clock = clock;
    }

    /** Returns normally when {@code envelope} is signed by SNS; otherwise throws with the reason. */
    public void verify(JsonNode envelope) {
        String algorithm = switch (envelope.path("SignatureVersion").asText()) {
            case "1" -> "SHA1withRSA";
            case "2" -> "SHA256withRSA";
            default -> throw new UnprocessableEventException("SNS SignatureVersion not supported: "
                    + envelope.path("SignatureVersion").asText());
        };
        String canonical = canonical(envelope);
        byte[] signature = signature(envelope);
        X509Certificate certificate = certificates.at(envelope.path("SigningCertURL").asText(null));
        try {
            certificate.checkValidity(Date.from(clock.instant()));
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(certificate.getPublicKey());
            verifier.update(canonical.getBytes(StandardCharsets.UTF_8));
            if (!verifier.verify(signature)) {
                throw new UnprocessableEventException("SNS signature does not verify: the envelope was not signed by "
                        + "the certificate's key or was changed after signing");
            }
        } catch (CertificateExpiredException | CertificateNotYetValidException e) {
            throw new UnprocessableEventException("SNS signing certificate not valid now: " + e.getMessage());
        } catch (GeneralSecurityException e) {
            throw new UnprocessableEventException("SNS signature does not verify: " + e.getMessage());
        }
    }

    /** The string SNS signs for a Notification: {@code <key>\n<value>\n} for each signed field in order. */
    static String canonical(JsonNode envelope) {
        StringBuilder canonical = new StringBuilder();
        for (String field : NOTIFICATION_FIELDS) {
            JsonNode value = envelope.get(field);
            if (value == null || value.isNull()) {
                if ("Subject".equals(field)) {
                    continue;
                }
                throw new UnprocessableEventException("SNS envelope lacks a signed field: " + field);
            }
            if (!value.isTextual()) {
                throw new UnprocessableEventException("SNS envelope field is not a string: " + field);
            }
            canonical.append(field).append('\n').append(value.asText()).append('\n');
        }
        return canonical.toString();
    }

    private static byte[] signature(JsonNode envelope) {
        try {
            return Base64.getDecoder().decode(envelope.path("Signature").asText());
        } catch (IllegalArgumentException e) {
            throw new UnprocessableEventException("SNS Signature is not base64: " + e.getMessage());
        }
    }
}
