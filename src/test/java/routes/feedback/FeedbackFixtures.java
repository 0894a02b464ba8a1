package routes.feedback;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import routes.aws.AwsProperties;
import routes.aws.Tables;
import routes.localaws.LocalAws;
import routes.localaws.TopicTap;
import routes.model.CampaignStatus;
import routes.model.MessageIds;
import routes.model.MessageStatus;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.ses.SesClient;
import software.amazon.awssdk.services.ses.model.MessageTag;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The feedback tests' vocabulary: ledger and campaign rows as the send and launch flows would leave them,
 * SES events from the hand-built fixtures published to the ses-events topic, and real sends through the
 * embedded SES's mailbox simulator.
 */
class FeedbackFixtures {

    /** One recipient's send, as the ledger knows it. */
    record Sent(String campaignId, String recipient, String messageId, String sesMessageId) {}

    private static final ObjectMapper JSON = new ObjectMapper();

    private final AwsProperties aws;
    private final DynamoDbClient dynamo;
    private final SnsClient sns;
    private final SesClient ses;
    private final SqsClient sqs;

    FeedbackFixtures(AwsProperties aws, DynamoDbClient dynamo, SnsClient sns, SesClient ses, SqsClient sqs) {
        this.aws = aws;
        this.dynamo = dynamo;
        this.sns = sns;
        this.ses = ses;
        this.sqs = sqs;
    }

    static String campaign(String name) {
        return name + "-" + UUID.randomUUID();
    }

    static String address(String local) {
        return local + "-" + UUID.randomUUID() + "@example.org";
    }

    /** A ledger row in {@code status}; a null campaign makes it a transactional row. */
    Sent ledgerRow(String campaignId, String recipient, MessageStatus status, Map<String, String> extra) {
        String messageId = campaignId == null ? UUID.randomUUID().toString() : MessageIds.forCampaign(campaignId, recipient);
        String sesMessageId = "0100-" + UUID.randomUUID();
        putRow(campaignId, recipient, messageId, sesMessageId, status, extra);
        return new Sent(campaignId, recipient, messageId, sesMessageId);
    }

    /** A send this system never made: no ledger row, a made-up SES message id. */
    static Sent neverMailed(String campaignId, String recipient) {
        return new Sent(campaignId, recipient, MessageIds.forCampaign(campaignId, recipient), "0100-" + UUID.randomUUID());
    }

        Sent ledgerRow(String campaignId, String recipient) {
        return ledgerRow(campaignId, recipient, MessageStatus.SENT, Map.of());
    }

    void campaignRow(String campaignId, CampaignStatus status, Instant statusAt) {
        dynamo.putItem(b -> b.tableName(aws.table(Tables.CAMPAIGNS)).item(Map.of(
                "campaignId", AttributeValue.fromS(campaignId),
                "status", AttributeValue.fromS(status.name()),
                "sendAt", AttributeValue.fromS(statusAt.toString()),
                status.name().toLowerCase() + "At", AttributeValue.fromS(statusAt.toString()),
                "updatedAt", AttributeValue.fromS(statusAt.toString()))));
    }

    /** Publishes fixture {@code name} about {@code sent} to the ses-events topic, stamped {@code at}. */
    void publish(String name, Sent sent, Instant at) {
        sns.publish(b -> b.topicArn(sesEventsTopic()).message(render(name, sent, at)));
    }

    /**
     * The envelope the embedded SNS would deliver for {@code event} from the ses-events topic, signed with its
     * key, for tests that change it before putting it on the queue.
     */
    ObjectNode signedEnvelope(String event) {
        try {
            return (ObjectNode) JSON.readTree(LocalAws.get().sns().envelope(sesEventsTopic(), event));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Puts {@code body} on the ses-events queue as it is, as anyone allowed to send to the queue could. */
    void enqueue(String body) {
        sqs.sendMessage(b -> b.queueUrl(sqs.getQueueUrl(q -> q.queueName(aws.queues().sesEvents())).queueUrl())
                .messageBody(body));
    }

    String render(String name, Sent sent, Instant at) {
        return fixture(name)
                .replace("${messageId}", sent.messageId())
                .replace("${campaignId}", sent.campaignId() == null ? "" : sent.campaignId())
                .replace("${recipient}", sent.recipient())
                .replace("${sesMessageId}", sent.sesMessageId())
                .replace("${sentAt}", at.minusSeconds(60).toString())
                .replace("${timestamp}", at.toString());
    }

    /**
     * Sends a real mail through the embedded SES with the configuration set and the tags the send flow
     * sets, after inserting its ledger row SENT (the mailbox simulator then publishes its events).
     */
    Sent sendThroughSes(String campaignId, String recipient) {
        String messageId = MessageIds.forCampaign(campaignId, recipient);
        String mime = "From: news@example.com\r\nTo: " + recipient + "\r\nSubject: Hello\r\n"
                + "Content-Type: text/plain; charset=UTF-8\r\n\r\nHello\r\n";
        putRow(campaignId, recipient, messageId, null, MessageStatus.SENT, Map.of());
        String sesMessageId = ses.sendRawEmail(b -> b.rawMessage(m -> m.data(SdkBytes.fromString(mime, StandardCharsets.UTF_8)))
                .destinations(recipient)
                .configurationSetName(aws.configurationSet())
                .tags(tag("messageId", messageId), tag("campaignId", campaignId), tag("segment", "all"))).messageId();
        return new Sent(campaignId, recipient, messageId, sesMessageId);
    }

    String sesEventsTopic() {
        return topicArn(aws.topics().sesEvents());
    }

    String topicArn(String name) {
        return TopicTap.topicArn(sns, name);
    }

    /** What the flow publishes on topic {@code name} from now on. */
    TopicTap tap(String topicName) {
        return TopicTap.on(topicName, sns, sqs);
    }

    List<String> receive(String queueUrl) {
        return sqs.receiveMessage(b -> b.queueUrl(queueUrl).maxNumberOfMessages(10).waitTimeSeconds(1))
                .messages().stream().map(m -> m.body()).toList();
    }

    private void putRow(String campaignId, String recipient, String messageId, String sesMessageId,
                        MessageStatus status, Map<String, String> extra) {
        Map<String, AttributeValue> item = new HashMap<>();
        extra.forEach((k, v) -> item.put(k, AttributeValue.fromS(v)));
        item.put("messageId", AttributeValue.fromS(messageId));
        if (campaignId != null) {
            item.put("campaignId", AttributeValue.fromS(campaignId));
        }
        item.put("recipient", AttributeValue.fromS(recipient));
        item.put("status", AttributeValue.fromS(status.name()));
        item.put("statusRank", AttributeValue.fromN(Integer.toString(status.rank())));
        item.put("createdAt", AttributeValue.fromS(Instant.now().toString()));
        if (sesMessageId != null) {
            item.put("sesMessageId", AttributeValue.fromS(sesMessageId));
        }
        dynamo.putItem(b -> b.tableName(aws.table(Tables.MESSAGES)).item(item));
    }

    private static MessageTag tag(String name, String value) {
        return MessageTag.builder().name(name).value(value).build();
    }

    private static String fixture(String name) {
        try (InputStream in = FeedbackFixtures.class.getResourceAsStream("/fixtures/feedback/" + name + ".json")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException | NullPointerException e) {
            throw new UncheckedIOException(new IOException("fixture " + name + " missing", e));
        }
    }
}
