package routes.send;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.TimeUnit;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.exception.AbortedException;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttribute;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.ses.model.SendEmailRequest;
import software.amazon.awssdk.services.ses.model.SendRawEmailRequest;

/**
 * The last word on SES's per-second limit, at the moment a send request goes on the wire. The send
 * route's Throttler shapes the rate per lane, but SES counts a call when it receives it, which is some
 * time after the permit and after the call started, by an amount that varies with the machine's load;
 * counting starts alone, a replica let through more than its share in the one second SES (or the crash
 * harness's outbox) sees.
 *
 * <p>So each send occupies a slot from the moment its HTTP request is transmitted until one second
 * after its response arrived, and a request waits while {@link SendRate#perSecondCap()} slots are
 * occupied. SES stamps a call somewhere between those two moments; for any one-second window, the
 * last call stamped in it started while every other call stamped in it still held its slot, so no
 * window ever holds more than the cap, whatever the latency. Replicas each keep their own share of
 * the rate this way, and their sum stays within the rate. The cost is the call's latency on top of
 * each second (a few milliseconds against SES). Slots are per HTTP attempt: the SDK's own retries
 * count too.
 *
 * <p>The send route reserves its slot ({@link #reserve}) before it claims the recipient's ledger row and
 * before it asks the campaign gate for the last time, so a claimed recipient never waits here: a crash
 * leaves SENDING only rows whose call was about to start, and when the machine is slow and slots are
 * scarce, a pause still stops sending within a second. The reservation belongs to the thread that made
 * it, which then calls SES; one the route did not use (gate, claim or composition said no) is given back.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
public class SesCallPacer implements ExecutionInterceptor {

    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);
    private static final ExecutionAttribute<Boolean> HOLDS_SLOT = new ExecutionAttribute<>("mailroutes.SesCallPacer.slot");

    private final ObjectProvider<SendRate> rate;
    private final ThreadLocal<Boolean> reserved = new ThreadLocal<>();
    /** When calls that ended in the last second ended, oldest first (ends are recorded in time order). */
    private final Deque<Long> ends = new ArrayDeque<>();
    private int inFlight;

    /** The rate is looked up lazily: SendRate needs the SES client this interceptor is built into. */
    public SesCallPacer(ObjectProvider<SendRate> rate) {
        this.rate = rate;
    }

    /** Route step: waits for a slot and holds it for this thread's next SES send; keeps one already held. */
    public void reserve() {
        if (reserved.get() == null) {
            awaitSlot(rate.getObject().perSecondCap());
            reserved.set(Boolean.TRUE);
        }
    }

    /** Route step: the reserved slot was not used; free at once, as no call was made. */
    public void giveBack() {
        if (reserved.get() != null) {
            reserved.remove();
            unused();
        }
    }

    @Override
    public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
        if (isSend(context.request())) {
            // An attempt that failed before its response (connection reset) is retried without afterTransmission.
            release(attributes);
            if (reserved.get() != null) {
                reserved.remove();
            } else {
                awaitSlot(rate.getObject().perSecondCap());
            }
            attributes.putAttribute(HOLDS_SLOT, true);
        }
    }

    @Override
    public void afterTransmission(Context.AfterTransmission context, ExecutionAttributes attributes) {
        release(attributes);
    }

    @Override
    public void onExecutionFailure(Context.FailedExecution context, ExecutionAttributes attributes) {
        release(attributes);
    }

    private static boolean isSend(SdkRequest request) {
        return request instanceof SendRawEmailRequest || request instanceof SendEmailRequest;
    }

    private void release(ExecutionAttributes attributes) {
        if (Boolean.TRUE.equals(attributes.getAttribute(HOLDS_SLOT))) {
            attributes.putAttribute(HOLDS_SLOT, false);
            ended();
        }
    }

    private synchronized void unused() {
        inFlight--;
        notifyAll();
    }

    private synchronized void ended() {
        inFlight--;
        ends.addLast(System.nanoTime());
        notifyAll();
    }

    private synchronized void awaitSlot(int cap) {
        while (true) {
            long now = System.nanoTime();
            while (!ends.isEmpty() && now - ends.peekFirst() >= SECOND) {
                ends.pollFirst();
            }
            if (inFlight + ends.size() < cap) {
                inFlight++;
                return;
            }
            // Every slot held by a call in flight: the next end frees one no sooner than a second later.
            long waitNanos = ends.isEmpty() ? SECOND : ends.peekFirst() + SECOND - now;
            try {
                TimeUnit.NANOSECONDS.timedWait(this, Math.max(1, waitNanos));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw AbortedException.builder().message("interrupted while waiting for an SES send slot").build();
            }
        }
    }
}
