package routes.localaws;

import java.net.URI;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Pattern;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Dev services in the Spring Boot sense: whenever the application starts from the test classpath
 * (tests, {@code mvn spring-boot:test-run}) the embedded AWS is started and every client points at it.
 * Set {@code mailroutes.local-aws.enabled=false} to talk to real AWS from a test-classpath run.
 */
public class LocalAwsEnvironment implements EnvironmentPostProcessor {

    /** Signs campaign callbacks in the local run and the tests (24 bytes, as a whsec_ secret needs). */
    public static final String LOCAL_CALLBACK_SECRET = "whsec_bG9jYWwtY2FsbGJhY2stc2VjcmV0LTI0Ynl0ZXM=";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        if (!environment.getProperty("mailroutes.local-aws.enabled", Boolean.class, true)) {
            return;
        }
        Path outboxDir = Path.of(environment.getProperty("mailroutes.local-aws.outbox", "target/outbox"));
        Map<String, URI> endpoints;
        Path outbox;
        if (Boolean.getBoolean(LocalAwsProcess.PROPERTY)) {
            endpoints = LocalAwsProcess.start(outboxDir);
            outbox = outboxDir.toAbsolutePath();
        } else {
            LocalAws aws = LocalAws.start(outboxDir);
            endpoints = aws.endpoints();
            outbox = aws.outbox();
        }
        // The default credential chain reads these; the emulators accept any key.
        System.setProperty("aws.accessKeyId", LocalAws.ACCESS_KEY);
        System.setProperty("aws.secretAccessKey", LocalAws.ACCESS_KEY);
        Map<String, Object> properties = new HashMap<>();
        endpoints.forEach((service, uri) -> properties.put("mailroutes.aws.endpoints." + service, uri.toString()));
        properties.put("mailroutes.aws.region", LocalAws.REGION);
        properties.put("mailroutes.aws.provision", "true");
        properties.put("mailroutes.local-aws.outbox-path", outbox.toString());
        // The embedded SNS signs with its own certificate, served on its loopback endpoint: trusting exactly that
        // URL keeps the local path the verified path (a property, as the SNS may run in a child JVM).
        properties.put("mailroutes.feedback.signing-cert-url-pattern",
                Pattern.quote(LocalSns.certificateUrl(endpoints.get("sns")).toString()));
        // The emulators log every request at INFO; only their problems matter here.
        // Readable lines on the embedded AWS (the local run, the suite, and the extra applications a test starts in
        // its JVM, which would otherwise switch the whole JVM's console to production's ECS JSON).
        properties.put("logging.structured.format.console", "");
        properties.put("logging.level.com.amazonaws.services.dynamodbv2", "WARN");
        properties.put("logging.level.org.elasticmq", "WARN");
        properties.put("logging.level.org.gaul.s3proxy", "WARN");
        // Local receivers and the tests' peers are plain http on loopback. Timings stay production's
        // here (this also runs the local run); the suite shortens them in MailroutesTest.
        properties.put("mailroutes.webhooks.allow-private-targets", "true");
        properties.put("mailroutes.webhooks.allow-http", "true");
        properties.put("mailroutes.webhooks.callback-secrets", LOCAL_CALLBACK_SECRET);
        // The API key local-dev-key with every scope (as in application-local.yaml), three narrow keys the API tests
        // use (local-read-key: read only; local-slow-key: read, one request a second; local-send-key: a second
        // caller that sends), and an unsubscribe secret.
        key(properties, 0, "local-dev", "ed5a18fb8f807f996d649e379d3f35f39c543a91bdbf88c492f2ebd10d4df86c",
                "send,read,campaigns,suppressions,admin");
        key(properties, 1, "local-read", "c4b84eb70f7e66f2782577f721705e97bebce7e09f3206cb31dad305e94a3a2e", "read");
        key(properties, 2, "local-slow", "9849d43fa2dec4f55575a42d3a439f3fdbe801d48062fccbcf60c3d5b1d05d50", "read");
        properties.put("mailroutes.api.keys[2].requests-per-second", "1");
        key(properties, 3, "local-send", "1b1e20717851443d4205b9a934bb032c1276f0cc4e51cf941e2bf183c06cd4f1", "send,read");
        properties.put("mailroutes.unsubscribe.secret", "test-unsubscribe-secret");
        // The account reputation guard judges from 1,000 sends in production; a test reaches 40 quickly.
        properties.put("mailroutes.feedback.reputation.account-min-sends", "40");
        // Tests fire requests back to back with local-dev-key; ApiKeysTest and local-slow-key cover the limit.
        properties.put("mailroutes.api.requests-per-second", "10000");
        // DynamoDB Local logs two INFO lines per request, which skews the send benchmark, and every failed
        // condition (our idempotency checks, expected) as a WARN with a stack trace.
        properties.put("logging.level.com.amazonaws.services.dynamodbv2.local.server.LocalDynamoDBServerHandler", "ERROR");
        environment.getPropertySources().addFirst(new MapPropertySource("localAws", properties));
    }

    private static void key(Map<String, Object> properties, int index, String id, String hash, String scopes) {
        String key = "mailroutes.api.keys[" + index + "].";
        properties.put(key + "id", id);
        properties.put(key + "hash", hash);
        properties.put(key + "scopes", scopes);
    }
}
