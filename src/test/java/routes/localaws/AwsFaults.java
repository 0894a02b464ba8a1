package routes.localaws;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.springframework.stereotype.Component;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

/**
 * A passing outage of AWS, for the tests of what the flows do about one: the next {@code times} calls of an
 * operation on a table (or queue, or bucket: any request field named {@code TableName}, {@code QueueUrl},
 * {@code Bucket}) fail as AWS fails them, with a 500 InternalServerError, before they leave the client.
 * Every client of the application has it (AwsClients adds every ExecutionInterceptor bean); it does
 * nothing until armed.
 */
@Component
public class AwsFaults implements ExecutionInterceptor {

    private record Fault(String operation, String target) {}

    private final AtomicReference<Fault> armed = new AtomicReference<>();
    private final AtomicInteger remaining = new AtomicInteger();
    private final AtomicInteger injected = new AtomicInteger();

    /** The next {@code times} calls of {@code operation} (e.g. "PutItem") naming {@code target} fail. */
    public void failNext(String operation, String target, int times) {
        injected.set(0);
        remaining.set(times);
        armed.set(new Fault(operation, target));
    }

    /** How many calls failed since the last {@link #failNext}. */
    public int injected() {
        return injected.get();
    }

    public void disarm() {
        armed.set(null);
        remaining.set(0);
    }

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        Fault fault = armed.get();
        if (fault == null || !fault.operation().equals(attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME))) {
            return;
        }
        boolean names = context.request().sdkFields().stream()
                .filter(field -> field.memberName().equals("TableName") || field.memberName().equals("QueueUrl")
                        || field.memberName().equals("Bucket"))
                .anyMatch(field -> Objects.equals(field.getValueOrDefault(context.request()), fault.target())
                        || String.valueOf(field.getValueOrDefault(context.request())).endsWith("/" + fault.target()));
        if (names && remaining.getAndDecrement() > 0) {
            injected.incrementAndGet();
            throw AwsServiceException.builder().statusCode(500).message("injected by AwsFaults")
                    .awsErrorDetails(AwsErrorDetails.builder().errorCode("InternalServerError")
                            .errorMessage("injected by AwsFaults").build())
                    .build();
        }
    }
}
