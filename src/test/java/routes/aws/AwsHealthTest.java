package routes.aws;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.Status;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import routes.ApplicationYaml;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;

/** The readiness checks against an AWS that is not there: DOWN, and within the configured timeout. */
class AwsHealthTest {

    private static final Duration TIMEOUT = Duration.ofMillis(500);

    private final AwsProperties aws = ApplicationYaml.binder(Map.of(
            "mailroutes.aws.health-timeout", TIMEOUT.toString())).bindOrCreate("mailroutes.aws", AwsProperties.class);

    @Test
    void everyCheckIsDownWhenNothingListensOnTheEndpoint() throws IOException {
        URI closed = endpoint(closedPort());

        assertDown(new AwsHealth().s3HealthIndicator(S3Client.builder().endpointOverride(closed).forcePathStyle(true)
                .region(Region.US_EAST_1).credentialsProvider(credentials()).build(), aws).health(), "bucket mailroutes-campaigns");
        assertDown(new AwsHealth().sqsHealthIndicator(sqs(closed), aws).health(), "queue mailroutes-send");
        assertDown(new AwsHealth().dynamoDbHealthIndicator(DynamoDbClient.builder().endpointOverride(closed)
                .region(Region.US_EAST_1).credentialsProvider(credentials()).build(), aws).health(), "table mailroutes-campaigns");
    }

    @Test
    void aServiceThatNeverAnswersIsDownAfterTheTimeout() throws IOException {
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            long start = System.nanoTime();

            Health health = new AwsHealth().sqsHealthIndicator(sqs(endpoint(silent.getLocalPort())), aws).health();

            assertDown(health, "queue mailroutes-send");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(TIMEOUT.plusSeconds(2));
        }
    }

    private static void assertDown(Health health, String resource) {
        assertThat(health.getStatus()).isEqualTo(Status.DOWN);
        assertThat(health.getDetails()).containsEntry("resource", resource).containsKey("error");
    }

    private static SqsClient sqs(URI endpoint) {
        return SqsClient.builder().endpointOverride(endpoint).region(Region.US_EAST_1).credentialsProvider(credentials()).build();
    }

    private static StaticCredentialsProvider credentials() {
        return StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test"));
    }

    private static URI endpoint(int port) {
        return URI.create("http://127.0.0.1:" + port);
    }

    /** A loopback port that was free a moment ago and has nothing listening on it now. */
    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
