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
 * Test vocabulary for the send queue: collects one campaign's chunks. The send flow (route
 * {@code send}) consumes the same queue when present, so it is stopped while a test reads.
 */
final class SendQueue implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final SqsClient sqs;
    private final CamelContext camel;
    private final String url;
    private final boolean sendStopped;

    SendQueue(SqsClient sqs, AwsProperties aws, CamelContext camel) throws Exception {
        this.sqs = sqs;
        this.camel = camel;
        this.url = sqs.getQueueUrl(b -> b.queueName(aws.queues().send())).queueUrl();
        this.sendStopped = camel.getRoute("send") != null;
        if (sendStopped) {
            camel.getRouteController().stopRoute("send");
        }
    }

    /** Waits until {@code count} chunks of the campaign were received, then waits a little for strays. */
    List<SendChunk> chunks(String campaignId, int count) {
        List<SendChunk> found = new ArrayList<>();
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            receive(campaignId, found);
            return found.size() >= count;
        });
        receive(campaignId, found);
        found.sort(Comparator.comparingInt(SendChunk::chunk));
        return found;
    }

    private void receive(String campaignId, List<SendChunk> found) {
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
            camel.getRouteController().startRoute("send");
        }
    }
}
