package routes.localaws;

import java.net.URI;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
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
        // The emulators log every request at INFO; only their problems matter here.
        properties.put("logging.level.com.amazonaws.services.dynamodbv2", "WARN");
        properties.put("logging.level.org.elasticmq", "WARN");
        properties.put("logging.level.org.gaul.s3proxy", "WARN");
        // Test peers (webhook subscribers) listen on loopback; fast retries keep the suite quick.
        properties.put("mailroutes.webhooks.allow-private-targets", "true");
        properties.put("mailroutes.webhooks.retry.initial-delay-ms", "50");
        properties.put("mailroutes.webhooks.retry.durable-delay-seconds", "1");
        properties.put("mailroutes.webhooks.retry.give-up-after-seconds", "3");
        properties.put("mailroutes.webhooks.circuit.minimum-number-of-calls", "4");
        properties.put("mailroutes.webhooks.circuit.sliding-window-size", "4");
        properties.put("mailroutes.webhooks.circuit.wait-duration-in-open-state", "30");
        // The API key local-dev-key (as in application-local.yaml) and an unsubscribe secret.
        properties.put("mailroutes.api.key-hashes[0]", "ed5a18fb8f807f996d649e379d3f35f39c543a91bdbf88c492f2ebd10d4df86c");
        properties.put("mailroutes.unsubscribe.secret", "test-unsubscribe-secret");
        // The account reputation guard judges from 1,000 sends in production; a test reaches 40 quickly.
        properties.put("mailroutes.feedback.reputation.account-min-sends", "40");
        // Tests fire requests back to back with the one key; ApiKeysTest covers the limit itself.
        properties.put("mailroutes.api.requests-per-second", "10000");
        // DynamoDB Local logs two INFO lines per request, which skews the send benchmark, and every failed
        // condition (our idempotency checks, expected) as a WARN with a stack trace.
        properties.put("logging.level.com.amazonaws.services.dynamodbv2.local.server.LocalDynamoDBServerHandler", "ERROR");
        environment.getPropertySources().addFirst(new MapPropertySource("localAws", properties));
    }
}
