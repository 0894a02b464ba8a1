package routes.aws;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The URL of each queue the beans talk to directly (the routes' endpoints resolve their own), asked of
 * SQS once per name with GetQueueUrl and kept for the life of the process: a queue's URL never changes.
 */
@Component
public class QueueUrls {

    private final SqsClient sqs;
    private final Map<String, String> urls = new ConcurrentHashMap<>();

    public QueueUrls(SqsClient sqs) {
        this.sqs = sqs;
    }

    public String of(String queueName) {
        return urls.computeIfAbsent(queueName, name -> sqs.getQueueUrl(b -> b.queueName(name)).queueUrl());
    }
}
