package routes.send;

import org.apache.camel.Exchange;

/** Which queue a chunk came from; the exchange property {@code sendLane} set by the consumer routes. */
public enum SendLane {
    CAMPAIGN, TRANSACTIONAL;

    public static final String PROPERTY = "sendLane";

    boolean is(Exchange exchange) {
        return name().equals(exchange.getProperty(PROPERTY, String.class));
    }
}
