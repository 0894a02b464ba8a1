package routes.aws;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import software.amazon.awssdk.awscore.AwsRequestOverrideConfiguration;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Readiness checks of the three services every flow needs (health components {@code s3}, {@code sqs},
 * {@code dynamoDb}): one cheap call each on the application's own clients, cut off after
 * {@code mailroutes.aws.health-timeout} so a probe answers even when AWS does not.
 */
@Configuration(proxyBeanMethods = false)
public class AwsHealth {

    /** How long one check's answer serves: shorter than the probes' period (5 s). */
    static final Duration REUSE = Duration.ofSeconds(4);

    @Bean
    HealthIndicator s3HealthIndicator(S3Client s3, AwsProperties aws) {
        return check("bucket " + aws.bucket(), aws.healthTimeout(),
                timeout -> s3.headBucket(b -> b.bucket(aws.bucket()).overrideConfiguration(timeout)));
    }

    @Bean
    HealthIndicator sqsHealthIndicator(SqsClient sqs, AwsProperties aws) {
        return check("queue " + aws.queues().send(), aws.healthTimeout(),
                timeout -> sqs.getQueueUrl(b -> b.queueName(aws.queues().send()).overrideConfiguration(timeout)));
    }

    @Bean
    HealthIndicator dynamoDbHealthIndicator(DynamoDbClient dynamo, AwsProperties aws) {
        String table = aws.table(Tables.CAMPAIGNS);
        return check("table " + table, aws.healthTimeout(),
                timeout -> dynamo.describeTable(b -> b.tableName(table).overrideConfiguration(timeout)));
    }

    /**
     * UP when {@code call} returns within {@code timeout}, DOWN with the failure otherwise. An answer is
     * reused for {@link #REUSE}: {@code /readyz} is public on the API port, and no anonymous request rate
     * may become the same rate of AWS calls.
     */
    public static HealthIndicator check(String resource, Duration timeout, Consumer<AwsRequestOverrideConfiguration> call) {
        AwsRequestOverrideConfiguration limited = AwsRequestOverrideConfiguration.builder().apiCallTimeout(timeout).build();
        AtomicReference<Checked> last = new AtomicReference<>();
        return () -> {
            Checked known = last.get();
            if (known != null && System.nanoTime() - known.atNanos() < REUSE.toNanos()) {
                return known.health();
            }
            Health health;
            try {
                call.accept(limited);
                health = Health.up().withDetail("resource", resource).build();
            } catch (RuntimeException unreachable) {
                health = Health.down(unreachable).withDetail("resource", resource).build();
            }
            last.set(new Checked(health, System.nanoTime()));
            return health;
        };
    }

    private record Checked(Health health, long atNanos) {}
}
