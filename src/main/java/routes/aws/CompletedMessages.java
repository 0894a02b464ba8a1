package routes.aws;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;
import org.apache.camel.Exchange;
import org.apache.camel.component.aws2.sqs.Sqs2Constants;
import org.apache.camel.support.SynchronizationAdapter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.BatchResultErrorEntry;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;

/**
 * Acknowledges the messages of one queue whose exchanges completed, ten per DeleteMessageBatch, for a consumer that
 * runs with {@code deleteAfterRead=false}: a message waits until ten have completed, whichever consumer thread ran
 * them, or until its owner calls {@link #flush} (a timer route, and at shutdown after the consumers stopped). Camel's
 * consumer deletes each message on its own, and at a rate below capacity each receive of a long-polling consumer
 * brings about one message, so acknowledging per poll is still a call per message.
 *
 * <p>A failed exchange's message is never acknowledged: it comes back after its visibility timeout, and the queue's
 * redrive policy moves it to the DLQ in the end. Before deleting, the owner may keep some completed messages on the
 * queue after all ({@code beforeDelete} returns the receipt handles to delete). An entry SQS refuses is tried once
 * more alone; a delete that fails is logged and its message runs again after the visibility timeout, so the flows
 * using this must bear a completed message running twice, as they must after any failed DeleteMessage.
 *
 * @param <T> what the owner keeps per completed message until its acknowledgement
 */
public class CompletedMessages<T> {

    private static final Logger LOG = LoggerFactory.getLogger(CompletedMessages.class);
    private static final int SQS_BATCH = 10;

    /** A completed message and what its owner kept with it. */
    public record Completed<T>(String receiptHandle, T kept) {}

    private final SqsClient sqs;
    private final QueueUrls urls;
    private final String queueName;
    private final Function<List<Completed<T>>, List<String>> beforeDelete;
    private final List<Completed<T>> completed = new ArrayList<>();

    public CompletedMessages(SqsClient sqs, QueueUrls urls, String queueName,
                             Function<List<Completed<T>>, List<String>> beforeDelete) {
        this.sqs = sqs;
        this.urls = urls;
        this.queueName = queueName;
        this.beforeDelete = beforeDelete;
    }

    /**
     * Acknowledges the exchange's message once the exchange completed, keeping {@code kept} of its receipt handle
     * with it; a failed exchange's handle goes to {@code failed}.
     */
    public void acknowledgeWhenDone(Exchange exchange, Function<String, T> kept, Consumer<String> failed) {
        String receiptHandle = exchange.getMessage().getHeader(Sqs2Constants.RECEIPT_HANDLE, String.class);
        exchange.getExchangeExtension().addOnCompletion(new SynchronizationAdapter() {
            @Override
            public void onComplete(Exchange done) {
                Completed<T> message = new Completed<>(receiptHandle, kept.apply(receiptHandle));
                List<Completed<T>> ten = null;
                synchronized (completed) {
                    completed.add(message);
                    if (completed.size() >= SQS_BATCH) {
                        ten = take();
                    }
                }
                if (ten != null) {
                    acknowledge(ten);
                }
            }

            @Override
            public void onFailure(Exchange notDone) {
                failed.accept(receiptHandle);
            }
        });
    }

    /** Acknowledges the completed messages that wait. */
    public void flush() {
        List<Completed<T>> waiting;
        synchronized (completed) {
            waiting = take();
        }
        acknowledge(waiting);
    }

    private List<Completed<T>> take() {
        List<Completed<T>> taken = new ArrayList<>(completed);
        completed.clear();
        return taken;
    }

    private void acknowledge(List<Completed<T>> messages) {
        if (!messages.isEmpty()) {
            delete(beforeDelete.apply(messages));
        }
    }

    private void delete(List<String> handles) {
        String url = urls.of(queueName);
        for (int from = 0; from < handles.size(); from += SQS_BATCH) {
            List<DeleteMessageBatchRequestEntry> entries = new ArrayList<>();
            for (int i = from; i < Math.min(from + SQS_BATCH, handles.size()); i++) {
                entries.add(DeleteMessageBatchRequestEntry.builder().id(Integer.toString(i)).receiptHandle(handles.get(i)).build());
            }
            try {
                for (BatchResultErrorEntry refused : sqs.deleteMessageBatch(b -> b.queueUrl(url).entries(entries)).failed()) {
                    deleteOne(url, handles.get(Integer.parseInt(refused.id())), refused.code());
                }
            } catch (SdkException e) {
                LOG.warn("Deleting {} processed {} messages failed ({}); they run again after the visibility timeout",
                        entries.size(), queueName, e.getMessage());
            }
        }
    }

    private void deleteOne(String url, String receiptHandle, String batchCode) {
        try {
            sqs.deleteMessage(b -> b.queueUrl(url).receiptHandle(receiptHandle));
        } catch (SdkException e) {
            LOG.warn("A processed {} message was not deleted (batch: {}, alone: {}); it runs again after the"
                    + " visibility timeout", queueName, batchCode, e.getMessage());
        }
    }
}
