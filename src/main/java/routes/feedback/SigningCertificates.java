package routes.feedback;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The certificates SNS signs with, by their {@code SigningCertURL}: a URL is fetched only when it matches
 * {@code mailroutes.feedback.signing-cert-url-pattern} (production: https on an SNS host of AWS), once, and
 * the certificate is kept for the life of the process.
 */
@Component
public class SigningCertificates {

    private static final Logger LOG = LoggerFactory.getLogger(SigningCertificates.class);
    /** An SNS certificate PEM is under 2 KB; anything much larger is not one. */
    private static final int MAX_BYTES = 64 * 1024;

    private final Pattern allowed;
    private final Duration timeout;
    private final HttpClient http;
    private final Map<String, X509Certificate> cache = new ConcurrentHashMap<>();

    public SigningCertificates(FeedbackProperties feedback) {
        this.allowed = Pattern.compile(feedback.signingCertUrlPattern());
        this.timeout = feedback.signingCertFetchTimeout();
        // A redirect could lead anywhere: only the checked URL itself is ever requested.
        this.http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).connectTimeout(timeout).build();
    }

    /**
     * The certificate at {@code url}.
     *
     * @throws UnprocessableEventException when the URL is not allowed (nothing is fetched then), or what it
     *                                     serves is not a certificate
     * @throws UncheckedIOException        when the fetch failed and may succeed on a redelivery
     */
    public X509Certificate at(String url) {
        X509Certificate known = cache.get(url);
        if (known != null) {
            return known;
        }
        checkAllowed(url);
        return cache.computeIfAbsent(url, this::fetch);
    }

    private void checkAllowed(String url) {
        URI uri;
        try {
            uri = url == null ? null : new URI(url);
        } catch (URISyntaxException e) {
            uri = null;
        }
        if (uri == null || !allowed.matcher(url).matches() || uri.getRawUserInfo() != null
                || uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw new UnprocessableEventException("SigningCertURL not allowed by mailroutes.feedback.signing-cert-url-pattern: " + url);
        }
    }

    private X509Certificate fetch(String url) {
        HttpResponse<InputStream> response;
        try {
            response = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(timeout).GET().build(),
                    HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            throw new UncheckedIOException("SNS signing certificate not fetched from " + url, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while fetching " + url, e);
        }
        try (InputStream body = response.body()) {
            if (response.statusCode() >= 500) {
                throw new IllegalStateException("SNS signing certificate URL " + url + " answered " + response.statusCode());
            }
            if (response.statusCode() != 200) {
                throw new UnprocessableEventException("SNS signing certificate not found: " + url + " answered "
                        + response.statusCode());
            }
            byte[] pem = body.readNBytes(MAX_BYTES + 1);
            if (pem.length > MAX_BYTES) {
                throw new UnprocessableEventException("SNS signing certificate too large: over " + MAX_BYTES + " bytes at " + url);
            }
            X509Certificate certificate = (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(pem));
            LOG.info("SNS signing certificate fetched from {}, valid until {}", url, certificate.getNotAfter().toInstant());
            return certificate;
        } catch (CertificateException e) {
            throw new UnprocessableEventException("SNS signing certificate unreadable: " + url + ": " + e.getMessage());
        } catch (IOException e) {
            throw new UncheckedIOException("SNS signing certificate not read from " + url, e);
        }
    }
}
