package routes.feedback;

import org.apache.camel.ProducerTemplate;
import org.springframework.stereotype.Component;

/**
 * Runs the flow's batches now (campaign counters and the reputation guards, the analytics files) instead of at
 * their interval: used at shutdown-free checkpoints such as tests and benchmarks.
 */
@Component
public class FeedbackBatches {

    private final ProducerTemplate producer;
    private final AnalyticsSpool analytics;

    public FeedbackBatches(ProducerTemplate producer, AnalyticsSpool analytics) {
        this.producer = producer;
        this.analytics = analytics;
    }

    /** Writes the counters and judges the reputation guards as the flush timer does, and writes the analytics files. */
    public void flushNow() {
        producer.sendBody("direct:feedback-counters", null);
        analytics.writeFiles();
    }
}
