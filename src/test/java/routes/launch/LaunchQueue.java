package routes.launch;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.camel.CamelContext;
import routes.aws.AwsProperties;
import routes.model.SendChunk;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * Test vocabulary for the launch queue: collects one campaign's chunks. The send flow (route
 * {@code send-launched}) consumes the same queue when present, so it is stopped while a test reads.
 */
final class LaunchQueue implements AutoCloseable {

    private static final String CONSUMER = "send-launched";

    private static final ObjectMapper JSON = new ObjectMapper();
    private final SqsClient sqs;
    private final CamelContext camel;
    private final String url;
    private final boolean sendStopped;

    LaunchQueue(SqsClient sqs, AwsProperties aws, CamelContext camel) throws Exception {
        this.sqs = sqs;
        this.camel = camel;
        this.url = sqs.getQueueUrl(b -> b.queueName(aws.queues().launch())).queueUrl();
        this.sendStopped = camel.getRoute(CONSUMER) != null;
        if (sendStopped) {
            camel.getRouteController().stopRoute(CONSUMER);
        }
    }

    /**
     * Waits until {@code count} chunks of the campaign were received, then goes on receiving until a
     * receive brings none of them, so a chunk enqueued twice shows up as a duplicate.
     */
    List<SendChunk> chunks(String campaignId, int count) {
        List<SendChunk> found = new ArrayList<>();
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            receive(campaignId, found);
            return found.size() >= count;
        });
        while (receive(campaignId, found) > 0) {
            // strays: the count was reached but more may be on the queue
        }
        found.sort(Comparator.comparingInt(SendChunk::chunk));
        return found;
    }

    /** @return how many chunks of the campaign this receive brought */
    private int receive(String campaignId, List<SendChunk> found) {
        int before = found.size();
        List<Message> messages = sqs.receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(10)
                .waitTimeSeconds(1).visibilityTimeout(30)).messages();
        for (Message message : messages) {
            SendChunk chunk = read(message.body());
            if (campaignId.equals(chunk.campaignId())) {
                found.add(chunk);
                sqs.deleteMessage(b -> b.queueUrl(url).receiptHandle(message.receiptHandle()));
            } else {
                sqs.changeMessageVisibility(b -> b.queueUrl(url).receiptHandle(message.receiptHandle())
                        .visibilityTimeout(0));
            }
        }
        return found.size() - before;
    }

    private static SendChunk read(String body) {
        try {
            return JSON.readValue(body, SendChunk.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() throws Exception {
        if (sendStopped) {
            camel.getRouteController().startRoute(CONSUMER);
        }
    }
}
