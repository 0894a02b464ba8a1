package routes.aws;

import org.apache.camel.CamelContext;
import org.apache.camel.spring.boot.CamelContextConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.ses.SesClient;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * With {@code mailroutes.aws.provision=true} (local run, tests) the resources are created before
 * Camel starts its routes: consumers and producers look their queue, bucket or table up at start.
 */
@Component
@ConditionalOnProperty(name = "mailroutes.aws.provision", havingValue = "true")
class ProvisionOnStart implements CamelContextConfiguration {

    private final Provisioner provisioner;

    ProvisionOnStart(AwsProperties aws, S3Client s3, SqsClient sqs, SnsClient sns, SesClient ses, DynamoDbClient dynamo) {
        this.provisioner = new Provisioner(aws, s3, sqs, sns, ses, dynamo);
    }

    @Override
    public void beforeApplicationStart(CamelContext camelContext) {
        provisioner.provision();
    }

    @Override
    public void afterApplicationStart(CamelContext camelContext) {
        // Nothing to do once the routes run.
    }
}
