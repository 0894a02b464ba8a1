package routes.send;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BooleanSupplier;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
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
 * The send flow's one gate in front of SES: the per-second budget of this replica ({@link SendRate#perSecondCap()},
 * both lanes together), handed out with priority to the transactional lane. SES counts a call when it
 * receives it, which is some time after the call started, by an amount that varies with the machine's load;
 * counting starts alone, a replica let through more than its share in the one second SES (or the crash
 * harness's outbox) sees.
 *
 * <p>So each send occupies a slot from the moment its HTTP request is transmitted until one second
 * after its response arrived, and a request waits while {@code perSecondCap} slots are occupied. SES stamps
 * a call somewhere between those two moments; for any one-second window, the last call stamped in it
 * started while every other call stamped in it still held its slot, so no window ever holds more than the
 * cap, whatever the latency. Replicas each keep their own share of the rate this way, and their sum stays
 * within the rate. The cost is the call's latency on top of each second (a few milliseconds against SES).
 * Slots are per HTTP attempt: the SDK's own retries count too.
 *
 * <p>Lanes: a free slot goes to a waiting transactional recipient before any campaign recipient, and
 * the campaign lane takes every slot the transactional lane does not want right now. One budget with a
 * priority is work-conserving in both directions: a transactional burst may use the whole rate while no
 * campaign sends, a campaign the whole rate while no transactional mail waits, and while both have work
 * the transactional mail waits at most for the next free slot. Within a lane, slots go out in arrival order:
 * a campaign's recipients leave in the order the split handed them over, and none waits behind later ones. A
 * fixed share per lane (a Throttler with a
 * correlation group per lane, until 2026-11-26) left the other lane's part idle: 60 API mails at 5/s took p95
 * 17.6 s against a rate of 14/s, because the lane was capped at 2.8/s.
 *
 * <p>The send route reserves its slot ({@link #reserve}) before it claims the recipient's ledger row and
 * before it asks the campaign gate for the last time, so a claimed recipient never waits here: a crash
 * leaves SENDING only rows whose call was about to start, and when slots are scarce, a pause still stops
 * sending within a second. The reservation belongs to the thread that made it, which then calls SES; one
 * the route did not use (gate, claim or composition said no) is given back. While the Camel context
 * stops, nobody waits: the gate after the reservation gives the recipient back to its queue.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
public class SesCallPacer implements ExecutionInterceptor {

    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);
    private static final ExecutionAttribute<Boolean> HOLDS_SLOT = new ExecutionAttribute<>("mailroutes.SesCallPacer.slot");
    private static final ExecutionAttribute<SendLane> LANE = new ExecutionAttribute<>("mailroutes.SesCallPacer.lane");
    private static final BooleanSupplier NEVER = () -> false;

    private final ObjectProvider<SendRate> rate;
    /** The lane of the slot this thread reserved for its next SES send; empty when it holds none. */
    private final ThreadLocal<SendLane> reserved = new ThreadLocal<>();
    /** When calls that ended in the last second ended, oldest first (ends are recorded in time order). */
    private final Deque<Long> ends = new ArrayDeque<>();
    private int inFlight;
    /** Who waits for a slot, per lane, in arrival order: a lane's slots go out first come, first served. */
    private final Deque<Object> campaignTurns = new ArrayDeque<>();
    private final Deque<Object> transactionalTurns = new ArrayDeque<>();
    /** Per lane (by ordinal), for the meters: slots handed out, and how long they were waited for in all. */
    private final LongAdder[] slotsGiven = {new LongAdder(), new LongAdder()};
    private final LongAdder[] nanosWaited = {new LongAdder(), new LongAdder()};

    /** The rate is looked up lazily: SendRate needs the SES client this interceptor is built into. */
    public SesCallPacer(ObjectProvider<SendRate> rate) {
        this.rate = rate;
    }

    /**
     * Route step: waits for a slot in the exchange's lane (property {@code sendLane}) and holds it for this
     * thread's next SES send; keeps one already held. Returns at once, holding nothing, while Camel stops.
     */
    public void reserve(Exchange exchange) {
        if (reserved.get() == null) {
            SendLane lane = SendLane.TRANSACTIONAL.is(exchange) ? SendLane.TRANSACTIONAL : SendLane.CAMPAIGN;
            CamelContext camel = exchange.getContext();
            if (awaitSlot(lane, camel::isStopping)) {
                reserved.set(lane);
            }
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
            SendLane lane = reserved.get();
            if (lane != null) {
                reserved.remove();
                attributes.putAttribute(LANE, lane);
            } else {
                // The SDK's retry of an attempt keeps the lane of the slot the route reserved for the first.
                lane = Optional.ofNullable(attributes.getAttribute(LANE)).orElse(SendLane.CAMPAIGN);
                awaitSlot(lane, NEVER);
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

    /** Recipients of {@code lane} waiting for a slot now. */
    public synchronized int waiting(SendLane lane) {
        return (lane == SendLane.TRANSACTIONAL ? transactionalTurns : campaignTurns).size();
    }

    /** Slots handed out to {@code lane} so far. */
    public long slotsGiven(SendLane lane) {
        return slotsGiven[lane.ordinal()].sum();
    }

    /** Seconds the recipients of {@code lane} waited for their slots so far, all together. */
    public double secondsWaited(SendLane lane) {
        return nanosWaited[lane.ordinal()].sum() / 1e9;
    }

    /** True with a slot taken; false, holding none, when {@code stopping} said so first. */
    private synchronized boolean awaitSlot(SendLane lane, BooleanSupplier stopping) {
        boolean transactional = lane == SendLane.TRANSACTIONAL;
        Deque<Object> turns = transactional ? transactionalTurns : campaignTurns;
        Object turn = new Object();
        turns.addLast(turn);
        long arrived = System.nanoTime();
        try {
            while (!stopping.getAsBoolean()) {
                long now = System.nanoTime();
                while (!ends.isEmpty() && now - ends.peekFirst() >= SECOND) {
                    ends.pollFirst();
                }
                boolean free = inFlight + ends.size() < rate.getObject().perSecondCap();
                boolean next = turns.peekFirst() == turn && (transactional || transactionalTurns.isEmpty());
                if (free && next) {
                    inFlight++;
                    slotsGiven[lane.ordinal()].increment();
                    nanosWaited[lane.ordinal()].add(now - arrived);
                    return true;
                }
                // Every slot held: the next end frees one no sooner than a second later. A free slot someone
                // ahead is about to take: woken when they have.
                long waitNanos = free || ends.isEmpty() ? SECOND : ends.peekFirst() + SECOND - now;
                try {
                    TimeUnit.NANOSECONDS.timedWait(this, Math.max(1, waitNanos));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw AbortedException.builder().message("interrupted while waiting for an SES send slot").build();
                }
            }
            return false;
        } finally {
            turns.remove(turn);
            notifyAll();
        }
    }
}
