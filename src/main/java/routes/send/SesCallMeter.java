package routes.send;

import java.time.Duration;
import org.springframework.stereotype.Component;
import routes.ops.MailMetrics;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttribute;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.services.ses.model.SesRequest;

/**
 * Times every call of the SES client (the send route's and the quota's) and sorts its end as the send
 * flow does: {@code ok} or the {@link SesErrorClassifier.Kind} of the refusal. As an SDK interceptor
 * (AwsClients adds every one) it sees the call itself, SDK retries included, and no route step is needed.
 * The clock starts when the first attempt goes on the wire, after {@link SesCallPacer} gave it a slot, so
 * the time is SES's, not the wait for a send slot.
 */
@Component
public class SesCallMeter implements ExecutionInterceptor {

    private static final ExecutionAttribute<Long> STARTED = new ExecutionAttribute<>("mailroutes.sesCallStarted");

    private final MailMetrics metrics;
    private final SesErrorClassifier classifier;

    public SesCallMeter(MailMetrics metrics, SesErrorClassifier classifier) {
        this.metrics = metrics;
        this.classifier = classifier;
    }

    @Override
    public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
        if (context.request() instanceof SesRequest && attributes.getAttribute(STARTED) == null) {
            attributes.putAttribute(STARTED, System.nanoTime());
        }
    }

    @Override
    public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
        record(attributes, "ok");
    }

    @Override
    public void onExecutionFailure(Context.FailedExecution context, ExecutionAttributes attributes) {
        record(attributes, classifier.classify(context.exception()).name());
    }

    private void record(ExecutionAttributes attributes, String outcome) {
        Long started = attributes.getAttribute(STARTED);
        if (started != null) {
            metrics.sesCall(attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME), outcome,
                    Duration.ofNanos(System.nanoTime() - started));
        }
    }
}
