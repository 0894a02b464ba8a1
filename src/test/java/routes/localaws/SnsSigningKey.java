package routes.localaws;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The embedded SNS's signing key and its self-signed certificate, made when it starts (never stored), as
 * SNS signs with the key of the certificate at {@code SigningCertURL}.
 */
public final class SnsSigningKey {

    private final KeyPair keys;
    private final String certificatePem;

    public SnsSigningKey() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            keys = generator.generateKeyPair();
            Instant now = Instant.now();
            X500Name name = new X500Name("CN=sns.local.mailroutes");
            X509CertificateHolder certificate = new JcaX509v3CertificateBuilder(name, BigInteger.valueOf(now.toEpochMilli()),
                    Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(Duration.ofDays(365))), name, keys.getPublic())
                    .build(new JcaContentSignerBuilder("SHA256withRSA").build(keys.getPrivate()));
            StringWriter pem = new StringWriter();
            try (JcaPEMWriter writer = new JcaPEMWriter(pem)) {
                writer.writeObject(certificate);
            }
            certificatePem = pem.toString();
        } catch (GeneralSecurityException | OperatorCreationException e) {
            throw new IllegalStateException("SNS signing key not made", e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The certificate as SNS serves it at {@code SigningCertURL}. */
    public String certificatePem() {
        return certificatePem;
    }

    /** The base64 {@code Signature} of {@code canonical}: SHA1withRSA for version 1, SHA256withRSA for 2. */
    public String sign(String canonical, String signatureVersion) {
        try {
            Signature signature = Signature.getInstance("2".equals(signatureVersion) ? "SHA256withRSA" : "SHA1withRSA");
            signature.initSign(keys.getPrivate());
            signature.update(canonical.getBytes(StandardCharsets.UTF_8));
            return Base64.getEncoder().encodeToString(signature.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
