package routes.localaws;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.LongAdder;
import org.springframework.stereotype.Component;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttribute;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

/**
 * Counts the application's AWS calls by service and operation (AwsClients adds every ExecutionInterceptor
 * bean to every client) and notes when each SendRawEmail went out, for the benchmarks.
 */
@Component
public class AwsCallCounter implements ExecutionInterceptor {

    private static final ExecutionAttribute<Long> TRANSMITTED = new ExecutionAttribute<>("benchmarkTransmitted");
    private static final ExecutionAttribute<Long> ANSWERED = new ExecutionAttribute<>("benchmarkAnswered");

    private final Map<String, LongAdder> calls = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> sqsCallsByQueue = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<Long> rawSends = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<Long> rawSendNanos = new ConcurrentLinkedQueue<>();

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        String operation = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
        calls.computeIfAbsent(attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME) + "." + operation,
                name -> new LongAdder()).increment();
        context.request().getValueForField("QueueUrl", String.class).ifPresent(url -> sqsCallsByQueue.computeIfAbsent(
                operation + " " + url.substring(url.lastIndexOf('/') + 1), name -> new LongAdder()).increment());
    }

    /** After the send flow's pacer (which runs first) let the request go: when SES gets it, give or take the wire. */
    @Override
    public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
        attributes.putAttribute(TRANSMITTED, System.nanoTime());
    }

    @Override
    public void afterTransmission(Context.AfterTransmission context, ExecutionAttributes attributes) {
        attributes.putAttribute(ANSWERED, System.nanoTime());
    }

    @Override
    public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
        if ("SendRawEmail".equals(attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME))) {
            long transmitted = attributes.getAttribute(TRANSMITTED);
            rawSends.add(transmitted);
            rawSendNanos.add(attributes.getAttribute(ANSWERED) - transmitted);
        }
    }

    /** Calls by "Service.Operation" since the last reset. */
    public Map<String, Long> snapshot() {
        Map<String, Long> copy = new TreeMap<>();
        calls.forEach((name, count) -> copy.put(name, count.sum()));
        return copy;
    }

    /** SQS calls of one operation (e.g. "DeleteMessage") on the queue of that name since the last reset. */
    public long sqsCalls(String operation, String queueName) {
        LongAdder count = sqsCallsByQueue.get(operation + " " + queueName);
        return count == null ? 0 : count.sum();
    }

    /** System.nanoTime() when every successful SendRawEmail since the last reset went on the wire (its last attempt). */
    public long[] rawSendTimes() {
        return rawSends.stream().mapToLong(Long::longValue).sorted().toArray();
    }

    /** Request to response on the wire of each successful SendRawEmail since the last reset, shortest first. */
    public long[] rawSendDurations() {
        return rawSendNanos.stream().mapToLong(Long::longValue).sorted().toArray();
    }

    public void reset() {
        calls.clear();
        sqsCallsByQueue.clear();
        rawSends.clear();
        rawSendNanos.clear();
    }
}
