package routes.send;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLongArray;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import software.amazon.awssdk.services.ses.SesClient;
import software.amazon.awssdk.services.ses.model.GetSendQuotaResponse;

/**
 * The rate the send throttle lets through, re-evaluated for every exchange: the configured cluster
 * rate, capped by SES's own quota when {@code use-ses-quota}, divided by the replicas, scaled down
 * after Throttling (AIMD: halve, then recover by 5 % of the full rate per second), and split between
 * the campaign lane and the transactional lane, which keeps {@code transactional-share} to itself
 * whenever it has sent in the last ten seconds. Also keeps this replica's rolling 24-hour count.
 */
@Component
public class SendRate {

    private static final Logger LOG = LoggerFactory.getLogger(SendRate.class);
    private static final double RECOVERY_PER_SECOND = 0.05;
    private static final double FLOOR = 0.02;
    private static final Duration TRANSACTIONAL_ACTIVE = Duration.ofSeconds(10);
    private static final int MINUTES_PER_DAY = 24 * 60;

    private final SendProperties properties;
    private final SesClient ses;
    private final Clock clock;
    private final AtomicLongArray sentPerMinute = new AtomicLongArray(MINUTES_PER_DAY);
    private final AtomicLongArray minuteOfSlot = new AtomicLongArray(MINUTES_PER_DAY);

    private volatile double configuredRate;
    private volatile double sesRate = Double.MAX_VALUE;
    private volatile double ses24h = Double.MAX_VALUE;
    private volatile double factor = 1.0;
    private volatile Instant factorAt = Instant.EPOCH;
    private volatile Instant transactionalAt = Instant.EPOCH;

    public SendRate(SendProperties properties, SesClient ses, Clock clock) {
        this.properties = properties;
        this.ses = ses;
        this.clock = clock;
        this.configuredRate = properties.maxRate();
    }

    /** Permits per second for the exchange's lane (property {@code sendLane}). */
    public int current(Exchange exchange) {
        boolean transactional = SendLane.TRANSACTIONAL.is(exchange);
        Instant now = clock.instant();
        if (transactional) {
            transactionalAt = now;
        }
        double full = full(now);
        double share = properties.transactionalShare();
        double lane;
        if (transactional) {
            lane = full * share;
        } else {
            boolean reserved = Duration.between(transactionalAt, now).compareTo(TRANSACTIONAL_ACTIVE) < 0;
            lane = reserved ? full * (1 - share) : full;
        }
        return (int) Math.max(1, Math.floor(lane));
    }

    /** Calls this replica may start in any one second, both lanes together ({@link SesCallPacer}). */
    public int perSecondCap() {
        return (int) Math.max(1, Math.floor(full(clock.instant())));
    }

    private double full(Instant now) {
        return Math.min(configuredRate, sesRate) / properties.replicas() * recoveredFactor(now);
    }

    /** SES answered Throttling: halve. */
    public synchronized void throttled() {
        Instant now = clock.instant();
        factor = Math.max(FLOOR, recoveredFactor(now) / 2);
        factorAt = now;
        LOG.info("SES throttled: send rate scaled to {} % of the configured rate", Math.round(factor * 100));
    }

    /** Counts one accepted mail into this replica's rolling 24 hours. */
    public void sent() {
        long minute = clock.millis() / 60_000;
        int slot = (int) (minute % MINUTES_PER_DAY);
        if (minuteOfSlot.getAndSet(slot, minute) != minute) {
            sentPerMinute.set(slot, 0);
        }
        sentPerMinute.incrementAndGet(slot);
    }

    /** Whether this replica may still send today: its share of {@code max-per-24h} (and of SES's quota). */
    public boolean dailyBudgetLeft() {
        long minute = clock.millis() / 60_000;
        long used = 0;
        for (int slot = 0; slot < MINUTES_PER_DAY; slot++) {
            if (minute - minuteOfSlot.get(slot) < MINUTES_PER_DAY) {
                used += sentPerMinute.get(slot);
            }
        }
        return used < Math.min(properties.maxPer24h(), ses24h) / properties.replicas();
    }

    /** Reads SES's GetSendQuota (route {@code send-quota}, every five minutes) when {@code use-ses-quota}. */
    public void refreshQuota() {
        if (!properties.useSesQuota()) {
            return;
        }
        GetSendQuotaResponse quota = ses.getSendQuota();
        sesRate = quota.maxSendRate();
        ses24h = quota.max24HourSend();
        LOG.info("SES quota: {}/s, {} per 24 h, {} sent in the last 24 h",
                quota.maxSendRate(), quota.max24HourSend(), quota.sentLast24Hours());
    }

    /** Changes the cluster rate at runtime (operations; the benchmark). */
    public void setMaxRate(double perSecond) {
        this.configuredRate = perSecond;
    }

    /** Back to the configured rate with no throttling history. */
    public synchronized void reset() {
        configuredRate = properties.maxRate();
        factor = 1.0;
        factorAt = Instant.EPOCH;
    }

    private double recoveredFactor(Instant now) {
        double seconds = Duration.between(factorAt, now).toMillis() / 1000.0;
        return Math.min(1.0, factor + RECOVERY_PER_SECOND * seconds);
    }
}
