package routes.localaws;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sns.model.Topic;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

/** A fresh queue subscribed (raw delivery) to one of the application's topics, to see what it publishes there. */
public final class TopicTap {

    private final SqsClient sqs;
    private final String queueUrl;

    private TopicTap(SqsClient sqs, String queueUrl) {
        this.sqs = sqs;
        this.queueUrl = queueUrl;
    }

    public static TopicTap on(String topicName, SnsClient sns, SqsClient sqs) {
        String url = sqs.createQueue(b -> b.queueName("tap-" + topicName + "-" + UUID.randomUUID())).queueUrl();
        String queueArn = sqs.getQueueAttributes(b -> b.queueUrl(url).attributeNamesWithStrings("QueueArn"))
                .attributesAsStrings().get("QueueArn");
        sns.subscribe(b -> b.topicArn(topicArn(sns, topicName)).protocol("sqs").endpoint(queueArn)
                .attributes(Map.of("RawMessageDelivery", "true")));
        return new TopicTap(sqs, url);
    }

    public static String topicArn(SnsClient sns, String topicName) {
        return sns.listTopicsPaginator(b -> { }).topics().stream().map(Topic::topicArn)
                .filter(arn -> arn.endsWith(":" + topicName)).findFirst().orElseThrow();
    }

    /** The bodies of up to ten messages published since the last call, waiting up to a second. */
    public List<String> receive() {
        List<Message> messages = sqs.receiveMessage(b -> b.queueUrl(queueUrl).maxNumberOfMessages(10).waitTimeSeconds(1))
                .messages();
        messages.forEach(m -> sqs.deleteMessage(b -> b.queueUrl(queueUrl).receiptHandle(m.receiptHandle())));
        return messages.stream().map(Message::body).toList();
    }
}
