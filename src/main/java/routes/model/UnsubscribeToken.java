package routes.model;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * The unsubscribe link's token: URL-safe base64 of {@code messageId + '.' + HMAC-SHA256(messageId)}
 * truncated to 16 bytes. Only the holder of {@code mailroutes.unsubscribe.secret} can make one, so a
 * forged or altered token verifies to nothing.
 */
@Component
public class UnsubscribeToken {

    private static final int MAC_BYTES = 16;
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();

    private final byte[] secret;

    @Autowired
    public UnsubscribeToken(UnsubscribeProperties properties) {
        this(properties.secret());
    }

    UnsubscribeToken(String secret) {
        this.secret = secret.getBytes(StandardCharsets.UTF_8);
    }

    public String sign(String messageId) {
        byte[] id = messageId.getBytes(StandardCharsets.UTF_8);
        byte[] token = new byte[id.length + 1 + MAC_BYTES];
        System.arraycopy(id, 0, token, 0, id.length);
        token[id.length] = '.';
        System.arraycopy(mac(id), 0, token, id.length + 1, MAC_BYTES);
        return ENCODER.encodeToString(token);
    }

    /** The message id inside a genuine token; empty for anything forged, altered or malformed. */
    public Optional<String> verify(String token) {
        byte[] raw;
        try {
            raw = Base64.getUrlDecoder().decode(token);
        } catch (IllegalArgumentException | NullPointerException malformed) {
            return Optional.empty();
        }
        int dot = raw.length - MAC_BYTES - 1;
        if (dot < 1 || raw[dot] != '.') {
            return Optional.empty();
        }
        byte[] id = Arrays.copyOfRange(raw, 0, dot);
        byte[] presented = Arrays.copyOfRange(raw, dot + 1, raw.length);
        return MessageDigest.isEqual(presented, mac(id)) ? Optional.of(new String(id, StandardCharsets.UTF_8)) : Optional.empty();
    }

    private byte[] mac(byte[] messageId) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            return Arrays.copyOf(mac.doFinal(messageId), MAC_BYTES);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }
}
