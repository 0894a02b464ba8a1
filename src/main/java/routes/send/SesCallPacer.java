package routes.send;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.TimeUnit;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import software.amazon.awssdk.core.exception.AbortedException;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.ses.model.SendEmailRequest;
import software.amazon.awssdk.services.ses.model.SendRawEmailRequest;

/**
 * The last word on SES's per-second limit, at the moment a send call starts. The send route's
 * Throttler shapes the rate per lane, but a permit's call starts some milliseconds after the permit
 * (thread hand-over on a busy machine), so calls of two permit rounds can bunch into one second and
 * exceed the limit SES counts. This interceptor on the SDK clients keeps the start times of the last
 * second's SendRawEmail/SendEmail calls and holds a call until fewer than {@link SendRate#perSecondCap()}
 * started within the last second (and a guard). It rarely waits: the throttle has already spaced the calls.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
public class SesCallPacer implements ExecutionInterceptor {

    /**
     * One second plus a guard: SES (and any observer) stamps a call a little after this interceptor
     * does, by a varying amount, so a window of exactly one second here would let two calls one
     * window apart land in the same second there. The guard costs 2 % of the rate.
     */
    private static final long SECOND = TimeUnit.MILLISECONDS.toNanos(1020);

    private final ObjectProvider<SendRate> rate;
    private final Deque<Long> starts = new ArrayDeque<>();

    /** The rate is looked up lazily: SendRate needs the SES client this interceptor is built into. */
    public SesCallPacer(ObjectProvider<SendRate> rate) {
        this.rate = rate;
    }

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        if (context.request() instanceof SendRawEmailRequest || context.request() instanceof SendEmailRequest) {
            awaitSlot(rate.getObject().perSecondCap());
        }
    }

    private synchronized void awaitSlot(int cap) {
        while (true) {
            long now = System.nanoTime();
            while (!starts.isEmpty() && now - starts.peekFirst() >= SECOND) {
                starts.pollFirst();
            }
            if (starts.size() < cap) {
                starts.addLast(now);
                return;
            }
            // Holding the monitor while waiting is intended: every other send waits for the same slot.
            long waitNanos = starts.peekFirst() + SECOND - now;
            try {
                TimeUnit.NANOSECONDS.sleep(waitNanos);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw AbortedException.builder().message("interrupted while waiting for an SES send slot").build();
            }
        }
    }
}
