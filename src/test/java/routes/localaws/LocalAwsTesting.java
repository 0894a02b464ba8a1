package routes.localaws;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ses.SesClient;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/** Real AWS SDK clients against the local fakes, and the SQS steps the fakes' tests share. */
final class LocalAwsTesting {

    static final String REGION = LocalAws.REGION;
    static final String ACCOUNT = LocalAws.ACCOUNT;

    private LocalAwsTesting() {}

    /** ElasticMQ of the JVM-wide embedded AWS, started with the outbox Spring's LocalAwsEnvironment defaults to. */
    static URI sqsEndpoint() {
        return LocalAws.start(Path.of("target/outbox")).endpoints().get("sqs");
    }

    static SqsClient sqs(URI endpoint) {
        return configure(SqsClient.builder(), endpoint).build();
    }

    static SnsClient sns(URI endpoint) {
        return configure(SnsClient.builder(), endpoint).build();
    }

    static SesClient ses(URI endpoint) {
        return configure(SesClient.builder(), endpoint).build();
    }

    /** Without retries, so a Throttling answer reaches the test instead of being retried away. */
    static SesClient sesWithoutRetries(URI endpoint) {
        return configure(SesClient.builder(), endpoint)
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()))
                .build();
    }

    /** A raw AWS Query request (form-encoded POST), for what the SDK would never send. */
    static HttpResponse<String> postForm(URI endpoint, String form) throws IOException, InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create(endpoint + "/"))
                .timeout(Duration.ofSeconds(5))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form))
                .build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    static Queue createQueue(SqsClient sqs, String prefix) {
        String url = sqs.createQueue(b -> b.queueName(prefix + "-" + UUID.randomUUID())).queueUrl();
        String arn = sqs.getQueueAttributes(b -> b.queueUrl(url).attributeNames(QueueAttributeName.QUEUE_ARN))
                .attributes().get(QueueAttributeName.QUEUE_ARN);
        return new Queue(url, arn);
    }

    /** Exactly {@code count} messages, deleted from the queue; fails if more were waiting. */
    static List<Message> receive(SqsClient sqs, Queue queue, int count) {
        List<Message> received = new ArrayList<>();
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            List<Message> batch = sqs.receiveMessage(b -> b.queueUrl(queue.url())
                    .maxNumberOfMessages(10).messageAttributeNames("All")).messages();
            batch.forEach(m -> sqs.deleteMessage(d -> d.queueUrl(queue.url()).receiptHandle(m.receiptHandle())));
            received.addAll(batch);
            return received.size() >= count;
        });
        if (received.size() != count) {
            throw new AssertionError("Expected " + count + " messages, got " + received.size() + ": " + received);
        }
        return received;
    }

    record Queue(String url, String arn) {}

    private static <B extends AwsClientBuilder<B, ?> & AwsSyncClientBuilder<B, ?>> B configure(B builder, URI endpoint) {
        return builder.httpClient(ApacheHttpClient.create())
                .region(Region.of(REGION))
                .endpointOverride(endpoint)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")));
    }
}
