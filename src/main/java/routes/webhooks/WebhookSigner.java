package routes.webhooks;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.List;
import java.util.stream.Collectors;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.springframework.stereotype.Component;

/**
 * Standard Webhooks signatures: {@code v1,<base64 HMAC-SHA256 of "<id>.<timestamp>.<body>">}, one per
 * active secret, space-separated. A secret of the form {@code whsec_<base64>} is used as its decoded
 * bytes (the Standard Webhooks convention); any other secret as its UTF-8 bytes.
 */
@Component
public class WebhookSigner {

    /**
     * A signing secret: {@code whsec_} and the base64 of at least 24 bytes, or any other non-empty text
     * (used as its UTF-8 bytes). Checked when the properties bind, so a truncated secret stops start-up.
     */
    public static final String SECRET =
            "(?!whsec_).+|whsec_(?:[A-Za-z0-9+/]{4}){8,}(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?";
    public static final String SECRET_RULE = "a whsec_ secret must be base64 of at least 24 bytes";

    public String sign(String id, long timestamp, String body, List<String> secrets) {
        String signed = id + "." + timestamp + "." + body;
        return secrets.stream().map(secret -> "v1," + hmac(key(secret), signed)).collect(Collectors.joining(" "));
    }

    static byte[] key(String secret) {
        return secret.startsWith("whsec_") ? Base64.getDecoder().decode(secret.substring("whsec_".length()))
                : secret.getBytes(StandardCharsets.UTF_8);
    }

    private static String hmac(byte[] key, String content) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return Base64.getEncoder().encodeToString(mac.doFinal(content.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }
}
