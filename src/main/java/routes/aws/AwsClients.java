package routes.aws;

import java.net.URI;
import java.util.List;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;
import software.amazon.awssdk.services.ses.SesClient;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The one place SDK clients are built. Camel's aws2 components autowire these beans, so routes
 * carry neither credentials nor endpoints. Credentials come from the default provider chain.
 */
@Configuration(proxyBeanMethods = false)
public class AwsClients {

    private final AwsProperties aws;
    private final List<ExecutionInterceptor> interceptors;

    public AwsClients(AwsProperties aws, ObjectProvider<ExecutionInterceptor> interceptors) {
        this.aws = aws;
        this.interceptors = interceptors.orderedStream().toList();
    }

    @Bean(destroyMethod = "close")
    SdkHttpClient awsHttpClient() {
        return ApacheHttpClient.builder().maxConnections(aws.maxConnections()).build();
    }

    @Bean
    S3Client s3Client(SdkHttpClient http) {
        // Path-style addressing only where an endpoint is overridden: emulators have no virtual hosts.
        return configure(S3Client.builder(), http, aws.endpoints().s3())
                .forcePathStyle(aws.endpoints().s3() != null)
                .build();
    }

    /** Signs the upload URLs the API hands out; addressed like {@link #s3Client}. */
    @Bean(destroyMethod = "close")
    S3Presigner s3Presigner() {
        S3Presigner.Builder builder = S3Presigner.builder().region(Region.of(aws.region()))
                .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(aws.endpoints().s3() != null).build());
        if (aws.endpoints().s3() != null) {
            builder.endpointOverride(aws.endpoints().s3());
        }
        return builder.build();
    }

    @Bean
    SqsClient sqsClient(SdkHttpClient http) {
        return configure(SqsClient.builder(), http, aws.endpoints().sqs()).build();
    }

    @Bean
    SnsClient snsClient(SdkHttpClient http) {
        return configure(SnsClient.builder(), http, aws.endpoints().sns()).build();
    }

    @Bean
    SesClient sesClient(SdkHttpClient http) {
        return configure(SesClient.builder(), http, aws.endpoints().ses()).build();
    }

    @Bean
    DynamoDbClient dynamoDbClient(SdkHttpClient http) {
        return configure(DynamoDbClient.builder(), http, aws.endpoints().dynamodb()).build();
    }

    private <B extends AwsClientBuilder<B, ?> & AwsSyncClientBuilder<B, ?>> B configure(
            B builder, SdkHttpClient http, URI endpoint) {
        builder.region(Region.of(aws.region()))
                .httpClient(http)
                .overrideConfiguration(o -> interceptors.forEach(o::addExecutionInterceptor));
        if (endpoint != null) {
            builder.endpointOverride(endpoint);
        }
        return builder;
    }
}
