package routes.localaws;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.QueueDoesNotExistException;
import software.amazon.awssdk.services.sqs.model.SendMessageRequest;

/**
 * Amazon SNS on a loopback port, speaking the AWS Query protocol (API 2010-03-31) to the AWS SDK and to
 * camel-aws2-sns, and delivering to SQS queues through the given {@link SqsClient} (ElasticMQ locally).
 *
 * <p>Actions: CreateTopic (idempotent), ListTopics, DeleteTopic, GetTopicAttributes, SetTopicAttributes,
 * Subscribe, Unsubscribe, ListSubscriptions, ListSubscriptionsByTopic, GetSubscriptionAttributes,
 * SetSubscriptionAttributes, Publish and PublishBatch. Each subscribed queue receives the SNS JSON envelope,
 * or with {@code RawMessageDelivery=true} the bare message with the message attributes as SQS attributes;
 * a subscription's {@code FilterPolicy} (exact string values on message attributes) skips what it does not match.
 * Delivery is synchronous: when Publish answers, the message is in every subscribed queue.
 *
 * <p>Every envelope is signed as SNS signs it (topic attribute {@code SignatureVersion} 1, the default, is
 * SHA1withRSA, 2 is SHA256withRSA) with a key made at start, whose self-signed certificate is served at
 * {@link #certificateUrl(URI)} on this endpoint: a subscriber that trusts that URL verifies the envelopes.
 *
 * <p>Not modelled: protocols other than {@code sqs} (refused with InvalidParameter), FIFO topics, filter
 * policies (stored, not applied), paging (every list is one page) and subscription confirmation. A publish
 * to a queue that does not exist is dropped with a warning, as SNS drops it after its retries.
 */
public final class LocalSns implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LocalSns.class);
    private static final String NAMESPACE = "http://sns.amazonaws.com/doc/2010-03-31/";
    private static final Pattern TOPIC_NAME = Pattern.compile("[A-Za-z0-9_-]{1,256}");
    private static final Pattern SQS_ARN = Pattern.compile("arn:aws:sqs:[^:]*:[^:]*:([^:]+)");
    private static final int MAX_MESSAGE_BYTES = 256 * 1024;
    private static final int MAX_BATCH_ENTRIES = 10;
    private static final String RAW_MESSAGE_DELIVERY = "RawMessageDelivery";
    private static final String FILTER_POLICY = "FilterPolicy";
    private static final String SIGNATURE_VERSION = "SignatureVersion";
    private static final String CERTIFICATE_PATH = "/SimpleNotificationService-local.pem";

    private final SqsClient sqs;
    private final String region;
    private final String accountId;
    private final Map<String, Topic> topics = new ConcurrentHashMap<>();
    private final Map<String, Subscription> subscriptions = new ConcurrentHashMap<>();
    private final Map<String, String> queueUrls = new ConcurrentHashMap<>();
    private final AwsQueryServer server;
    private volatile URI reachedAt;
    private final SnsSigningKey signingKey = new SnsSigningKey();

    public LocalSns(SqsClient sqs, String region, String accountId) {
        this.sqs = sqs;
        this.region = region;
        this.accountId = accountId;
        Map<String, AwsQueryServer.Action> actions = new HashMap<>();
        actions.put("CreateTopic", this::createTopic);
        actions.put("ListTopics", this::listTopics);
        actions.put("DeleteTopic", this::deleteTopic);
        actions.put("GetTopicAttributes", this::getTopicAttributes);
        actions.put("SetTopicAttributes", this::setTopicAttributes);
        actions.put("Subscribe", this::subscribe);
        actions.put("Unsubscribe", this::unsubscribe);
        actions.put("ListSubscriptions", this::listSubscriptions);
        actions.put("ListSubscriptionsByTopic", this::listSubscriptionsByTopic);
        actions.put("GetSubscriptionAttributes", this::getSubscriptionAttributes);
        actions.put("SetSubscriptionAttributes", this::setSubscriptionAttributes);
        actions.put("Publish", this::publish);
        actions.put("PublishBatch", this::publishBatch);
        server = new AwsQueryServer("local-sns", NAMESPACE, actions);
        server.serve(CERTIFICATE_PATH, "application/x-pem-file", signingKey.certificatePem().getBytes(StandardCharsets.US_ASCII));
    }

    /** Where the embedded SNS at {@code endpoint} serves the certificate its envelopes are signed with. */
    public static URI certificateUrl(URI endpoint) {
        return endpoint.resolve(CERTIFICATE_PATH);
    }

    public void start() {
        server.start();
    }

    /**
     * The endpoint clients reach this SNS at, and so the one its envelopes name for the certificate: the
     * server's own, or the one set by {@link #reachedAt} when a latency proxy stands in front.
     */
    public URI endpoint() {
        URI reached = reachedAt;
        return reached != null ? reached : server.endpoint();
    }

    void reachedAt(URI endpoint) {
        this.reachedAt = endpoint;
    }

    @Override
    public void close() {
        server.close();
    }

    /**
     * Publishes as the Publish action does, for in-JVM publishers such as {@link LocalSes}'s event destinations.
     *
     * @return the SNS message id
     * @throws AwsQueryException NotFound when the topic does not exist
     */
    public String publish(String topicArn, String message, Map<String, String> stringAttributes) {
        Map<String, Attribute> attributes = new LinkedHashMap<>();
        stringAttributes.forEach((name, value) -> attributes.put(name, new Attribute("String", value)));
        return publish(topic(topicArn), message, null, attributes);
    }

    /**
     * The signed envelope a subscriber of {@code topicArn} would receive for {@code message}, without
     * delivering it: for tests that put an envelope on a queue themselves, as SNS would.
     */
    public String envelope(String topicArn, String message) {
        Notification notification = new Notification(UUID.randomUUID().toString(), Instant.now(), topic(topicArn).arn(),
                message, null, Map.of());
        return envelope(topicArn + ":" + UUID.randomUUID(), notification);
    }

    boolean hasTopic(String topicArn) {
        return topics.containsKey(topicArn);
    }

    private Consumer<AwsXml> createTopic(QueryParams params) {
        String name = params.require("Name");
        if (!TOPIC_NAME.matcher(name).matches()) {
            throw invalidParameter("Topic Name: only ASCII letters, digits, '_' and '-', at most 256");
        }
        String arn = "arn:aws:sns:" + region + ":" + accountId + ":" + name;
        Map<String, String> attributes = params.map("Attributes.entry", "key", "value");
        attributes.forEach(LocalSns::checkTopicAttribute);
        Topic topic = topics.computeIfAbsent(arn, Topic::new);
        topic.attributes().putAll(attributes);
        return xml -> xml.element("TopicArn", arn);
    }

    private Consumer<AwsXml> listTopics(QueryParams params) {
        List<String> arns = topics.keySet().stream().sorted().toList();
        return xml -> xml.members("Topics", arns, (member, arn) -> member.element("TopicArn", arn));
    }

    private Consumer<AwsXml> deleteTopic(QueryParams params) {
        String arn = params.require("TopicArn");
        topics.remove(arn);
        subscriptions.values().removeIf(subscription -> subscription.topicArn().equals(arn));
        return xml -> {};
    }

    private Consumer<AwsXml> getTopicAttributes(QueryParams params) {
        Topic topic = topic(params.require("TopicArn"));
        Map<String, String> attributes = new LinkedHashMap<>();
        attributes.put("TopicArn", topic.arn());
        attributes.put("Owner", accountId);
        attributes.put("DisplayName", "");
        attributes.put("SubscriptionsConfirmed", String.valueOf(subscriptionsOf(topic.arn()).size()));
        attributes.put("SubscriptionsPending", "0");
        attributes.put("SubscriptionsDeleted", "0");
        attributes.putAll(topic.attributes());
        return xml -> xml.entries("Attributes", attributes);
    }

    private Consumer<AwsXml> setTopicAttributes(QueryParams params) {
        Topic topic = topic(params.require("TopicArn"));
        String name = params.require("AttributeName");
        String value = params.get("AttributeValue", "");
        checkTopicAttribute(name, value);
        topic.attributes().put(name, value);
        return xml -> {};
    }

    private Consumer<AwsXml> subscribe(QueryParams params) {
        Topic topic = topic(params.require("TopicArn"));
        if (!"sqs".equals(params.require("Protocol"))) {
            throw invalidParameter("Protocol: the local SNS delivers to sqs only");
        }
        String endpoint = params.require("Endpoint");
        if (!SQS_ARN.matcher(endpoint).matches()) {
            throw invalidParameter("SQS endpoint ARN");
        }
        Map<String, String> attributes = params.map("Attributes.entry", "key", "value");
        attributes.forEach(LocalSns::checkSubscriptionAttribute);
        Subscription subscription = subscribe(topic, endpoint, attributes);
        return xml -> xml.element("SubscriptionArn", subscription.arn());
    }

    /** Like SNS, subscribing an endpoint twice returns the existing subscription. */
    private synchronized Subscription subscribe(Topic topic, String endpoint, Map<String, String> attributes) {
        for (Subscription existing : subscriptionsOf(topic.arn())) {
            if (existing.endpoint().equals(endpoint)) {
                return existing;
            }
        }
        String arn = topic.arn() + ":" + UUID.randomUUID();
        Subscription subscription = new Subscription(arn, topic.arn(), endpoint, new ConcurrentHashMap<>(attributes));
        subscriptions.put(arn, subscription);
        return subscription;
    }

    private Consumer<AwsXml> unsubscribe(QueryParams params) {
        if (subscriptions.remove(params.require("SubscriptionArn")) == null) {
            throw notFound("Subscription does not exist");
        }
        return xml -> {};
    }

    private Consumer<AwsXml> listSubscriptions(QueryParams params) {
        return subscriptionList(List.copyOf(subscriptions.values()));
    }

    private Consumer<AwsXml> listSubscriptionsByTopic(QueryParams params) {
        return subscriptionList(subscriptionsOf(topic(params.require("TopicArn")).arn()));
    }

    private Consumer<AwsXml> subscriptionList(List<Subscription> list) {
        return xml -> xml.members("Subscriptions", list, (member, subscription) -> member
                .element("SubscriptionArn", subscription.arn())
                .element("Owner", accountId)
                .element("Protocol", "sqs")
                .element("Endpoint", subscription.endpoint())
                .element("TopicArn", subscription.topicArn()));
    }

    private Consumer<AwsXml> getSubscriptionAttributes(QueryParams params) {
        Subscription subscription = subscription(params.require("SubscriptionArn"));
        Map<String, String> attributes = new LinkedHashMap<>();
        attributes.put("SubscriptionArn", subscription.arn());
        attributes.put("TopicArn", subscription.topicArn());
        attributes.put("Owner", accountId);
        attributes.put("Protocol", "sqs");
        attributes.put("Endpoint", subscription.endpoint());
        attributes.put("PendingConfirmation", "false");
        attributes.put("ConfirmationWasAuthenticated", "true");
        attributes.put(RAW_MESSAGE_DELIVERY, "false");
        attributes.putAll(subscription.attributes());
        return xml -> xml.entries("Attributes", attributes);
    }

    private Consumer<AwsXml> setSubscriptionAttributes(QueryParams params) {
        Subscription subscription = subscription(params.require("SubscriptionArn"));
        String name = params.require("AttributeName");
        String value = params.get("AttributeValue", "");
        checkSubscriptionAttribute(name, value);
        subscription.attributes().put(name, value);
        return xml -> {};
    }

    private Consumer<AwsXml> publish(QueryParams params) {
        String topicArn = params.get("TopicArn", params.get("TargetArn"));
        if (topicArn == null) {
            throw AwsQueryException.missingParameter("TopicArn");
        }
        String messageId = publish(topic(topicArn), params);
        return xml -> xml.element("MessageId", messageId);
    }

    private Consumer<AwsXml> publishBatch(QueryParams params) {
        Topic topic = topic(params.require("TopicArn"));
        List<QueryParams> entries = params.indexed("PublishBatchRequestEntries.member");
        checkBatch(entries);
        List<BatchSuccess> successful = new ArrayList<>();
        List<BatchFailure> failed = new ArrayList<>();
        for (QueryParams entry : entries) {
            String id = entry.get("Id");
            try {
                successful.add(new BatchSuccess(id, publish(topic, entry)));
            } catch (AwsQueryException e) {
                failed.add(new BatchFailure(id, e.code(), e.getMessage()));
            }
        }
        return xml -> xml
                .members("Successful", successful, (member, success) -> member
                        .element("Id", success.id())
                        .element("MessageId", success.messageId()))
                .members("Failed", failed, (member, failure) -> member
                        .element("Id", failure.id())
                        .element("Code", failure.code())
                        .element("Message", failure.message())
                        .element("SenderFault", true));
    }

    private static void checkBatch(List<QueryParams> entries) {
        if (entries.isEmpty()) {
            throw AwsQueryException.sender("EmptyBatchRequest", "The batch request doesn't contain any entries.");
        }
        if (entries.size() > MAX_BATCH_ENTRIES) {
            throw AwsQueryException.sender("TooManyEntriesInBatchRequest",
                    "The batch request contains more entries than permissible.");
        }
        var ids = new HashSet<String>();
        for (QueryParams entry : entries) {
            if (!ids.add(entry.require("Id"))) {
                throw AwsQueryException.sender("BatchEntryIdsNotDistinct",
                        "Two or more batch entries in the request have the same Id.");
            }
        }
    }

    /** Publishes the message of a Publish request or of one PublishBatch entry. */
    private String publish(Topic topic, QueryParams request) {
        String message = request.require("Message");
        if ("json".equals(request.get("MessageStructure"))) {
            message = sqsMessage(message);
        }
        if (message.getBytes(StandardCharsets.UTF_8).length > MAX_MESSAGE_BYTES) {
            throw invalidParameter("Message too long");
        }
        return publish(topic, message, request.get("Subject"), attributes(request));
    }

    private String publish(Topic topic, String message, String subject, Map<String, Attribute> attributes) {
        Notification notification = new Notification(
                UUID.randomUUID().toString(), Instant.now(), topic.arn(), message, subject, attributes);
        subscriptionsOf(topic.arn()).forEach(subscription -> deliver(subscription, notification));
        return notification.messageId();
    }

    private void deliver(Subscription subscription, Notification notification) {
        if (!subscription.accepts(notification.attributes())) {
            return;
        }
        String queueName = queueName(subscription.endpoint());
        try {
            SendMessageRequest.Builder request = SendMessageRequest.builder().queueUrl(queueUrl(queueName));
            if (subscription.rawMessageDelivery()) {
                request.messageBody(notification.message()).messageAttributes(sqsAttributes(notification.attributes()));
            } else {
                request.messageBody(envelope(subscription.arn(), notification));
            }
            sqs.sendMessage(request.build());
        } catch (QueueDoesNotExistException e) {
            queueUrls.remove(queueName);
            LOG.warn("SNS message {} dropped: queue {} does not exist", notification.messageId(), queueName);
        } catch (SdkException e) {
            LOG.warn("SNS message {} not delivered to queue {}", notification.messageId(), queueName, e);
        }
    }

    private String queueUrl(String queueName) {
        return queueUrls.computeIfAbsent(queueName, name -> sqs.getQueueUrl(b -> b.queueName(name)).queueUrl());
    }

    private String envelope(String subscriptionArn, Notification notification) {
        String signatureVersion = topic(notification.topicArn()).attributes().getOrDefault(SIGNATURE_VERSION, "1");
        ObjectNode envelope = AwsJson.object()
                .put("Type", "Notification")
                .put("MessageId", notification.messageId())
                .put("TopicArn", notification.topicArn());
        if (notification.subject() != null) {
            envelope.put("Subject", notification.subject());
        }
        envelope.put("Message", notification.message())
                .put("Timestamp", AwsJson.timestamp(notification.timestamp()))
                .put("SignatureVersion", signatureVersion)
                .put("Signature", signingKey.sign(canonical(notification), signatureVersion))
                .put("SigningCertURL", certificateUrl(endpoint()).toString())
                .put("UnsubscribeURL", endpoint() + "/?Action=Unsubscribe&SubscriptionArn="
                        + URLEncoder.encode(subscriptionArn, StandardCharsets.UTF_8));
        if (!notification.attributes().isEmpty()) {
            ObjectNode attributes = envelope.putObject("MessageAttributes");
            notification.attributes().forEach((name, attribute) -> attributes.putObject(name)
                    .put("Type", attribute.dataType())
                    .put("Value", attribute.value()));
        }
        return AwsJson.write(envelope);
    }

    /** What SNS signs for a Notification: each field as {@code <name>\n<value>\n}, Subject only when set. */
    private static String canonical(Notification notification) {
        StringBuilder canonical = new StringBuilder("Message\n").append(notification.message()).append('\n')
                .append("MessageId\n").append(notification.messageId()).append('\n');
        if (notification.subject() != null) {
            canonical.append("Subject\n").append(notification.subject()).append('\n');
        }
        return canonical.append("Timestamp\n").append(AwsJson.timestamp(notification.timestamp())).append('\n')
                .append("TopicArn\n").append(notification.topicArn()).append('\n')
                .append("Type\nNotification\n").toString();
    }

    private static Map<String, MessageAttributeValue> sqsAttributes(Map<String, Attribute> attributes) {
        Map<String, MessageAttributeValue> sqsAttributes = new LinkedHashMap<>();
        attributes.forEach((name, attribute) -> sqsAttributes.put(name, attribute.toSqs()));
        return sqsAttributes;
    }

    private static Map<String, Attribute> attributes(QueryParams request) {
        Map<String, Attribute> attributes = new LinkedHashMap<>();
        for (QueryParams entry : request.indexed("MessageAttributes.entry")) {
            String dataType = entry.require("Value.DataType");
            String value;
            if (dataType.startsWith("Binary")) {
                value = entry.require("Value.BinaryValue");
            } else if (dataType.startsWith("String") || dataType.startsWith("Number")) {
                value = entry.require("Value.StringValue");
            } else {
                throw invalidParameter("The message attribute '" + entry.get("Name") + "' has an invalid type");
            }
            attributes.put(entry.require("Name"), new Attribute(dataType, value));
        }
        return attributes;
    }

    /** With MessageStructure=json the message is a JSON object per protocol; SQS takes "sqs", else "default". */
    private static String sqsMessage(String structured) {
        try {
            JsonNode perProtocol = AwsJson.read(structured);
            JsonNode message = perProtocol.has("sqs") ? perProtocol.get("sqs") : perProtocol.get("default");
            if (message == null || !message.isTextual()) {
                throw invalidParameter("Message Structure - No default entry in JSON message body");
            }
            return message.asText();
        } catch (JsonProcessingException e) {
            throw invalidParameter("Message Structure - JSON message body failed to parse");
        }
    }

    private static void checkTopicAttribute(String name, String value) {
        if (SIGNATURE_VERSION.equals(name) && !value.equals("1") && !value.equals("2")) {
            throw invalidParameter("Attributes Reason: SignatureVersion: Invalid value [" + value + "]. Must be 1 or 2.");
        }
    }

    private static void checkSubscriptionAttribute(String name, String value) {
        if (RAW_MESSAGE_DELIVERY.equals(name) && !value.equals("true") && !value.equals("false")) {
            throw invalidParameter("Attributes Reason: RawMessageDelivery: Invalid value [" + value
                    + "]. Must be true or false.");
        }
        if (FILTER_POLICY.equals(name)) {
            filterPolicy(value);
        }
    }

    /**
     * A filter policy on message attributes, in the one form this fake knows: attribute name → list of exact
     * string values (AWS's numeric, prefix, anything-but … operators are refused rather than ignored).
     */
    private static Map<String, List<String>> filterPolicy(String value) {
        Map<String, List<String>> policy = new LinkedHashMap<>();
        if (value == null || value.isBlank()) {
            return policy;
        }
        try {
            JsonNode root = AwsJson.read(value);
            if (!root.isObject()) {
                throw invalidParameter("Filter policy: must be a JSON object");
            }
            root.fields().forEachRemaining(field -> {
                List<String> values = new ArrayList<>();
                for (JsonNode item : field.getValue()) {
                    if (!item.isTextual()) {
                        throw invalidParameter("Filter policy: only exact string values are supported by the embedded SNS");
                    }
                    values.add(item.asText());
                }
                if (!field.getValue().isArray() || values.isEmpty()) {
                    throw invalidParameter("Filter policy: " + field.getKey() + " must be a non-empty array");
                }
                policy.put(field.getKey(), values);
            });
            return policy;
        } catch (JsonProcessingException e) {
            throw invalidParameter("Filter policy: not JSON");
        }
    }

    private Topic topic(String arn) {
        Topic topic = topics.get(arn);
        if (topic == null) {
            throw notFound("Topic does not exist");
        }
        return topic;
    }

    private Subscription subscription(String arn) {
        Subscription subscription = subscriptions.get(arn);
        if (subscription == null) {
            throw notFound("Subscription does not exist");
        }
        return subscription;
    }

    private List<Subscription> subscriptionsOf(String topicArn) {
        return subscriptions.values().stream().filter(s -> s.topicArn().equals(topicArn)).toList();
    }

    private static String queueName(String queueArn) {
        return queueArn.substring(queueArn.lastIndexOf(':') + 1);
    }

    private static AwsQueryException invalidParameter(String reason) {
        return AwsQueryException.sender("InvalidParameter", "Invalid parameter: " + reason);
    }

    private static AwsQueryException notFound(String message) {
        return new AwsQueryException(404, "NotFound", message);
    }

    private record Topic(String arn, Map<String, String> attributes) {
        Topic(String arn) {
            this(arn, new ConcurrentHashMap<>());
        }
    }

    private record Subscription(String arn, String topicArn, String endpoint, Map<String, String> attributes) {
        boolean rawMessageDelivery() {
            return "true".equals(attributes.get(RAW_MESSAGE_DELIVERY));
        }

        /** Every attribute the filter policy names is present with one of its values. */
        boolean accepts(Map<String, Attribute> messageAttributes) {
            return filterPolicy(attributes.get(FILTER_POLICY)).entrySet().stream().allMatch(rule -> {
                Attribute attribute = messageAttributes.get(rule.getKey());
                return attribute != null && rule.getValue().contains(attribute.value());
            });
        }
    }

    /** An SNS message attribute; {@code value} is base64 for the Binary types. */
    private record Attribute(String dataType, String value) {
        /** SQS has no String.Array; SNS hands such attributes on as String. */
        MessageAttributeValue toSqs() {
            if (dataType.startsWith("Binary")) {
                return MessageAttributeValue.builder().dataType(dataType)
                        .binaryValue(SdkBytes.fromByteArray(Base64.getDecoder().decode(value))).build();
            }
            String sqsType = dataType.equals("String.Array") ? "String" : dataType;
            return MessageAttributeValue.builder().dataType(sqsType).stringValue(value).build();
        }
    }

    private record Notification(String messageId, Instant timestamp, String topicArn, String message,
                                String subject, Map<String, Attribute> attributes) {}

    private record BatchSuccess(String id, String messageId) {}

    private record BatchFailure(String id, String code, String message) {}
}
