package routes.localaws;

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
        LocalAws aws = LocalAws.start(Path.of(environment.getProperty("mailroutes.local-aws.outbox", "target/outbox")));
        // The default credential chain reads these; the emulators accept any key.
        System.setProperty("aws.accessKeyId", LocalAws.ACCESS_KEY);
        System.setProperty("aws.secretAccessKey", LocalAws.ACCESS_KEY);
        Map<String, Object> properties = new HashMap<>();
        aws.endpoints().forEach((service, uri) -> properties.put("mailroutes.aws.endpoints." + service, uri.toString()));
        properties.put("mailroutes.aws.region", LocalAws.REGION);
        properties.put("mailroutes.aws.provision", "true");
        properties.put("mailroutes.local-aws.outbox-path", aws.outbox().toString());
        properties.put("mailroutes.send.unsubscribe-secret", "local-unsubscribe-secret");
        // DynamoDB Local logs two INFO lines per request, which skews the send benchmark.
        properties.put("logging.level.com.amazonaws.services.dynamodbv2.local.server.LocalDynamoDBServerHandler", "WARN");
        environment.getPropertySources().addFirst(new MapPropertySource("localAws", properties));
    }
}
