package routes.model;

/**
 * Where one recipient's send stands. Events arrive out of order, so a status may only be replaced by
 * one of a higher rank: a late Delivery never overwrites an Open, nothing overwrites a Complaint.
 */
public enum MessageStatus {
    QUEUED(0),
    SENDING(1),
    SENT(2),
    DELIVERY_DELAYED(3),
    SOFT_BOUNCED(3),
    DELIVERED(4),
    OPENED(5),
    CLICKED(6),
    FAILED(7),
    REJECTED(7),
    SUPPRESSED(7),
    BOUNCED(8),
    COMPLAINED(9),
    UNSUBSCRIBED(9);

    private final int rank;

    MessageStatus(int rank) {
        this.rank = rank;
    }

    public int rank() {
        return rank;
    }

    public boolean outranks(MessageStatus other) {
        return rank > other.rank;
    }
}
