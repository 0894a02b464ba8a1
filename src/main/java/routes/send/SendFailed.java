package routes.send;

/**
 * A recipient could not be sent after the in-process retries; thrown so the chunk's SQS message is
 * not deleted: SQS delivers it again later and, after maxReceiveCount, its redrive policy parks it
 * in the send DLQ.
 */
public class SendFailed extends RuntimeException {

    public SendFailed(String message, Throwable cause) {
        super(message, cause);
    }
}
