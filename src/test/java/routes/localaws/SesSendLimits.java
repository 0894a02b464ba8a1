package routes.localaws;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;

/**
 * SES sending quotas, counted in recipients as SES counts them: the maximum send rate over a sliding window
 * and the rolling 24-hour quota. Thread-safe.
 *
 * <p>The rate window is one second, or {@code 1/rate} seconds below one message per second. A send into an
 * empty window always fits, so a message with more recipients than the rate still goes out eventually
 * instead of being throttled forever.
 */
final class SesSendLimits {

    enum Verdict { ACCEPTED, RATE_EXCEEDED, QUOTA_EXCEEDED }

    static final long DEFAULT_MAX_24_HOUR_SEND = 50_000;

    private static final long SECOND_NANOS = 1_000_000_000L;
    private static final long DAY_NANOS = 24 * 3600 * SECOND_NANOS;

    private final Deque<Sent> lastDay = new ArrayDeque<>();
    private double maxSendRate;
    private long max24HourSend = DEFAULT_MAX_24_HOUR_SEND;
    private long sentLastDay;

    /** Zero or negative is unlimited. */
    synchronized void maxSendRate(double perSecond) {
        maxSendRate = perSecond;
    }

    synchronized double maxSendRate() {
        return maxSendRate;
    }

    /** Negative is unlimited; zero stops all sending. */
    synchronized void max24HourSend(long recipients) {
        max24HourSend = recipients;
    }

    synchronized long max24HourSend() {
        return max24HourSend;
    }

    synchronized long sentLast24Hours() {
        expire(System.nanoTime());
        return sentLastDay;
    }

    synchronized void reset() {
        maxSendRate = 0;
        max24HourSend = DEFAULT_MAX_24_HOUR_SEND;
        lastDay.clear();
        sentLastDay = 0;
    }

    /** Counts the recipients as sent if both limits allow them. */
    synchronized Verdict tryAcquire(int recipients) {
        long now = System.nanoTime();
        expire(now);
        if (max24HourSend >= 0 && sentLastDay + recipients > max24HourSend) {
            return Verdict.QUOTA_EXCEEDED;
        }
        if (maxSendRate > 0) {
            long inWindow = sentSince(now - windowNanos());
            if (inWindow > 0 && inWindow + recipients > windowCapacity()) {
                return Verdict.RATE_EXCEEDED;
            }
        }
        lastDay.addLast(new Sent(now, recipients));
        sentLastDay += recipients;
        return Verdict.ACCEPTED;
    }

    private long windowNanos() {
        return maxSendRate >= 1 ? SECOND_NANOS : (long) (SECOND_NANOS / maxSendRate);
    }

    private long windowCapacity() {
        return Math.max(1, (long) Math.floor(maxSendRate));
    }

    private long sentSince(long since) {
        long count = 0;
        for (Iterator<Sent> newestFirst = lastDay.descendingIterator(); newestFirst.hasNext(); ) {
            Sent sent = newestFirst.next();
            if (sent.nanos() - since < 0) {
                break;
            }
            count += sent.recipients();
        }
        return count;
    }

    private void expire(long now) {
        while (!lastDay.isEmpty() && now - lastDay.peekFirst().nanos() >= DAY_NANOS) {
            sentLastDay -= lastDay.removeFirst().recipients();
        }
    }

    private record Sent(long nanos, int recipients) {}
}
