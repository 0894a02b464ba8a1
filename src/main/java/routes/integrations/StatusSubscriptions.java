package routes.integrations;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.apache.camel.CamelContext;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.util.URISupport;
import org.springframework.stereotype.Component;
import routes.aws.AwsProperties;
import routes.aws.Provisioner;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.ses.SesClient;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sns.model.Subscription;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueDoesNotExistException;

/**
 * The queue behind a route that reads {@code kamelet:mailroutes-status-source}: {@code <status topic>-<route id>}
 * with its DLQ, subscribed to the status topic (raw delivery: the body is the status JSON) with a filter
 * policy on the message attributes {@code type} and {@code campaignId} from the route's {@code types} and
 * {@code campaigns}. With {@code mailroutes.aws.provision} it is created or updated before the route starts;
 * otherwise it must exist (docs/integrations.md shows the CloudFormation).
 */
@Component
public class StatusSubscriptions {

    static final String KAMELET = "kamelet:mailroutes-status-source";
    private static final Pattern ROUTE_ID = Pattern.compile("[A-Za-z0-9_-]{1,60}");
    private static final Pattern TYPE = Pattern.compile("(message|campaign)\\.[a-z_]+");

    private final AwsProperties aws;
    private final Provisioner provisioner;
    private final SqsClient sqs;
    private final SnsClient sns;
    private final ObjectMapper json;

    public StatusSubscriptions(AwsProperties aws, S3Client s3, SqsClient sqs, SnsClient sns, SesClient ses, DynamoDbClient dynamo,
                               ObjectMapper json) {
        this.aws = aws;
        this.provisioner = new Provisioner(aws, s3, sqs, sns, ses, dynamo);
        this.sqs = sqs;
        this.sns = sns;
        this.json = json;
    }

    /** The filter policy a status-source route needs, empty when the route reads something else; checks its parameters. */
    public Optional<String> filterPolicy(CamelContext context, RouteDefinition route) {
        String uri = context.resolvePropertyPlaceholders(route.getInput().getEndpointUri());
        if (!uri.startsWith(KAMELET + "?") && !uri.equals(KAMELET)) {
            return Optional.empty();
        }
        if (!ROUTE_ID.matcher(route.getRouteId()).matches()) {
            throw new IllegalArgumentException("a status-source route id names its queue: letters, digits, '-', '_', at most 60");
        }
        Map<String, Object> parameters;
        try {
            parameters = URISupport.parseQuery(URISupport.extractQuery(uri));
        } catch (java.net.URISyntaxException e) {
            throw new IllegalArgumentException("cannot read the parameters of " + uri, e);
        }
        List<String> types = list(parameters.get("types"));
        types.stream().filter(type -> !TYPE.matcher(type).matches()).findFirst().ifPresent(type -> {
            throw new IllegalArgumentException("types: " + type + " is not an event type (message.<status> or campaign.<event>)");
        });
        Map<String, List<String>> policy = new LinkedHashMap<>();
        if (!types.isEmpty()) {
            policy.put("type", types);
        }
        List<String> campaigns = list(parameters.get("campaigns"));
        if (!campaigns.isEmpty()) {
            policy.put("campaignId", campaigns);
        }
        try {
            return Optional.of(json.writeValueAsString(policy));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Creates or updates the route's queue and subscription (provision on), or checks the queue exists. */
    public void subscribe(String routeId, String filterPolicy) {
        String queue = queueName(routeId);
        if (!aws.provision()) {
            try {
                sqs.getQueueUrl(b -> b.queueName(queue));
            } catch (QueueDoesNotExistException missing) {
                throw new IllegalStateException("queue " + queue + " does not exist: create it subscribed to topic "
                        + aws.topics().status() + " with raw message delivery and filter policy " + filterPolicy, missing);
            }
            return;
        }
        String queueArn = provisioner.queueWithDeadLetters(queue, 60);
        String topicArn = sns.createTopic(b -> b.name(aws.topics().status())).topicArn();
        Optional<String> existing = sns.listSubscriptionsByTopicPaginator(b -> b.topicArn(topicArn)).subscriptions().stream()
                .filter(s -> queueArn.equals(s.endpoint())).map(Subscription::subscriptionArn).findFirst();
        String subscriptionArn = existing.orElseGet(() -> sns.subscribe(b -> b.topicArn(topicArn).protocol("sqs")
                .endpoint(queueArn).attributes(Map.of("RawMessageDelivery", "true"))).subscriptionArn());
        sns.setSubscriptionAttributes(b -> b.subscriptionArn(subscriptionArn).attributeName("FilterPolicy").attributeValue(filterPolicy));
    }

    public String queueName(String routeId) {
        return aws.topics().status() + "-" + routeId;
    }

    private static List<String> list(Object value) {
        return value == null ? List.of() : Arrays.stream(value.toString().split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }
}
