package routes.aws;

import java.util.Optional;

/**
 * Why an entry is in a dead-letter queue when nothing was written on it: SQS's redrive policy moves a message
 * as it was. A flow that records its failures elsewhere (the send flow: on the ledger rows) explains its own
 * queues' entries from their bodies.
 */
public interface DeadLetterReasons {

    /** Whether this explains entries of {@code queue} (a short name of {@link DeadLetters#queues()}). */
    boolean explains(String queue);

    /** The reason for the entry with this body, if anything recorded one. */
    Optional<String> reasonOf(String body);
}
