package routes.feedback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.context.properties.bind.BindException;
import routes.ApplicationYaml;
import routes.localaws.SnsSigningKey;

/** The verifier's canonical string and certificate rules, without Spring: a key of the test's own, served on loopback. */
class SnsSignatureVerifierTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static final SnsSigningKey KEY = new SnsSigningKey();
    private final AtomicInteger fetches = new AtomicInteger();
    private HttpServer server;
    private String certificateUrl;

    @BeforeEach
    void serveCertificate() throws IOException {
        byte[] pem = KEY.certificatePem().getBytes(StandardCharsets.US_ASCII);
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/cert.pem", http -> {
            fetches.incrementAndGet();
            try (http) {
                http.sendResponseHeaders(200, pem.length);
                http.getResponseBody().write(pem);
            }
        });
        server.start();
        certificateUrl = "http://127.0.0.1:" + server.getAddress().getPort() + "/cert.pem";
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @Test
    void theCanonicalStringOfANotificationIsEachSignedFieldAsKeyLineValueLineInOrder() {
        ObjectNode envelope = envelope("Hello world!").put("Subject", "My First Message");

        assertThat(SnsSignatureVerifier.canonical(envelope)).isEqualTo("""
                Message
                Hello world!
                MessageId
                22b80b92-fdea-4c2c-8f9d-bdfb0c7bf324
                Subject
                My First Message
                Timestamp
                2012-05-02T00:54:06.655Z
                TopicArn
                arn:aws:sns:us-west-2:123456789012:MyTopic
                Type
                Notification
                """);
    }

    @Test
    void aNotificationWithoutSubjectLeavesItOutButEveryOtherSignedFieldIsRequired() {
        assertThat(SnsSignatureVerifier.canonical(envelope("m"))).doesNotContain("Subject");

        ObjectNode withoutTimestamp = envelope("m");
        withoutTimestamp.remove("Timestamp");
        assertThatThrownBy(() -> SnsSignatureVerifier.canonical(withoutTimestamp))
                .isInstanceOf(UnprocessableEventException.class).hasMessage("SNS envelope lacks a signed field: Timestamp");
    }

    @ParameterizedTest
    @ValueSource(strings = {"1", "2"})
    void aSignedEnvelopeVerifiesAndItsCertificateIsFetchedOnce(String version) {
        SnsSignatureVerifier verifier = verifier(Pattern.quote(certificateUrl));

        verifier.verify(signed(envelope("first"), version));
        verifier.verify(signed(envelope("second"), version));

        assertThat(fetches).hasValue(1);
    }

    @Test
    void aChangedMessageOrAnUnknownSignatureVersionIsRefused() {
        SnsSignatureVerifier verifier = verifier(Pattern.quote(certificateUrl));
        ObjectNode changed = signed(envelope("mark delivered"), "2").put("Message", "suppress");
        ObjectNode version3 = signed(envelope("m"), "2").put("SignatureVersion", "3");

        assertThatThrownBy(() -> verifier.verify(changed)).hasMessageStartingWith("SNS signature does not verify");
        assertThatThrownBy(() -> verifier.verify(version3)).hasMessage("SNS SignatureVersion not supported: 3");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "http://sns.us-east-1.amazonaws.com/SimpleNotificationService-0123abcd.pem",
            "https://sns.us-east-1.amazonaws.com.evil.example/SimpleNotificationService-0123abcd.pem",
            "https://evil.example/sns.us-east-1.amazonaws.com/SimpleNotificationService-0123abcd.pem",
            "https://sns.us-east-1.amazonaws.com/other.pem",
            "https://sns.us-east-1.amazonaws.com/SimpleNotificationService-0123abcd.pem?x=1",
            "https://s3.us-east-1.amazonaws.com/SimpleNotificationService-0123abcd.pem"})
    void byDefaultOnlyHttpsCertificateUrlsOfSnsAtAwsAreAllowed(String url) {
        SigningCertificates certificates = new SigningCertificates(properties(Map.of()));

        assertThatThrownBy(() -> certificates.at(url)).isInstanceOf(UnprocessableEventException.class)
                .hasMessage("SigningCertURL not allowed by mailroutes.feedback.signing-cert-url-pattern: " + url);
    }

    @Test
    void aSigningCertUrlPatternThatIsNoRegularExpressionFailsAtStartNamingTheKey() {
        assertThatThrownBy(() -> properties(Map.of("mailroutes.feedback.signing-cert-url-pattern", "https://(sns")))
                .isInstanceOf(BindException.class)
                .hasStackTraceContaining("mailroutes.feedback.signing-cert-url-pattern is not a regular expression");
    }

    private SnsSignatureVerifier verifier(String pattern) {
        return new SnsSignatureVerifier(new SigningCertificates(properties(Map.of(
                "mailroutes.feedback.signing-cert-url-pattern", pattern))), Clock.systemUTC());
    }

    private ObjectNode signed(ObjectNode envelope, String version) {
        return envelope.put("SignatureVersion", version).put("SigningCertURL", certificateUrl)
                .put("Signature", KEY.sign(SnsSignatureVerifier.canonical(envelope), version));
    }

    /** The Notification of the AWS documentation's example. */
    private static ObjectNode envelope(String message) {
        return JSON.createObjectNode().put("Type", "Notification")
                .put("MessageId", "22b80b92-fdea-4c2c-8f9d-bdfb0c7bf324")
                .put("TopicArn", "arn:aws:sns:us-west-2:123456789012:MyTopic")
                .put("Message", message)
                .put("Timestamp", "2012-05-02T00:54:06.655Z");
    }

    private static FeedbackProperties properties(Map<String, String> values) {
        return ApplicationYaml.binder(values).bindOrCreate("mailroutes.feedback", FeedbackProperties.class);
    }
}
