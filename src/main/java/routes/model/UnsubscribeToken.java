package routes.model;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * The token in a mail's unsubscribe link: {@code <messageId>.<base64url HMAC-SHA256 of messageId>}.
 * The send flow signs it; the unsubscribe endpoint verifies it and learns which message (and so which
 * recipient and campaign) the click belongs to without a lookup table.
 */
@Component
public class UnsubscribeToken {

    private static final String ALGORITHM = "HmacSHA256";
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();

    private final SecretKeySpec key;

    public UnsubscribeToken(@Value("${mailroutes.send.unsubscribe-secret}") String secret) {
        if (secret == null || secret.isBlank()) {
            throw new IllegalArgumentException("mailroutes.send.unsubscribe-secret must be set");
        }
        this.key = new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), ALGORITHM);
    }

    public String sign(String messageId) {
        return messageId + "." + signature(messageId);
    }

    /** The message id the token was signed for, or empty when the token is malformed or forged. */
    public Optional<String> verify(String token) {
        if (token == null) {
            return Optional.empty();
        }
        int dot = token.lastIndexOf('.');
        if (dot <= 0) {
            return Optional.empty();
        }
        String messageId = token.substring(0, dot);
        byte[] expected = signature(messageId).getBytes(StandardCharsets.US_ASCII);
        byte[] given = token.substring(dot + 1).getBytes(StandardCharsets.US_ASCII);
        return MessageDigest.isEqual(expected, given) ? Optional.of(messageId) : Optional.empty();
    }

    private String signature(String messageId) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(key);
            return ENCODER.encodeToString(mac.doFinal(messageId.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException impossible) {
            throw new IllegalStateException("HmacSHA256 is part of every JRE", impossible);
        }
    }
}
