package routes.feedback;

import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.springframework.stereotype.Component;

/**
 * Flushes the flow's in-memory batches now (campaign counters, the analytics aggregator) instead of at
 * their interval: used at shutdown-free checkpoints such as tests and benchmarks.
 */
@Component
public class FeedbackBatches {

    private final FeedbackCounters counters;
    private final ProducerTemplate producer;

    public FeedbackBatches(FeedbackCounters counters, ProducerTemplate producer) {
        this.counters = counters;
        this.producer = producer;
    }

    public void flushNow() {
        counters.flush();
        producer.sendBodyAndHeader("direct:feedback-analytics-batch", null, Exchange.AGGREGATION_COMPLETE_ALL_GROUPS, true);
    }
}
