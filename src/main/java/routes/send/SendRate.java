package routes.send;

import jakarta.annotation.PreDestroy;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import routes.store.SendLog;
import software.amazon.awssdk.services.ses.SesClient;
import software.amazon.awssdk.services.ses.model.GetSendQuotaResponse;

/**
 * This replica's send budget, the calls per second {@link SesCallPacer} hands out to both lanes: the
 * configured cluster rate, capped by SES's own quota when {@code use-ses-quota}, divided by the live
 * replicas, scaled down after Throttling (AIMD: halve, then recover by 5 % of the full rate per second).
 * Also answers whether the cluster's 24-hour budget has room. Live replicas and the cluster's 24-hour
 * count come from {@link SendLog}, refreshed by the {@code send-share} timer.
 */
@Component
public class SendRate {

    private static final Logger LOG = LoggerFactory.getLogger(SendRate.class);
    private static final double RECOVERY_PER_SECOND = 0.05;
    private static final double FLOOR = 0.02;
    /** A replica whose heartbeat is older than this no longer takes a share of the rate. */
    private static final Duration LIVE_WITHIN = Duration.ofSeconds(30);

    private final SendProperties properties;
    private final SesClient ses;
    private final Clock clock;
    private final SendLog sendLog;
    private final String replicaId;
    private final AtomicLong unflushedSent = new AtomicLong();

    private volatile double configuredRate;
    private volatile double sesRate = Double.MAX_VALUE;
    private volatile double ses24h = Double.MAX_VALUE;
    private volatile double factor = 1.0;
    private volatile Instant factorAt = Instant.EPOCH;
    private volatile int replicas = 1;
    private volatile Instant quotaClosedUntil = Instant.EPOCH;
    private volatile Instant joinedAt;
    private volatile long cluster24h;

    public SendRate(SendProperties properties, SesClient ses, Clock clock, SendLog sendLog) {
        this.properties = properties;
        this.ses = ses;
        this.clock = clock;
        this.sendLog = sendLog;
        this.configuredRate = properties.maxRate();
        this.replicaId = Optional.ofNullable(System.getenv("HOSTNAME")).orElse("replica") + "-" + UUID.randomUUID();
    }

    /** Calls this replica may start in any one second, both lanes together ({@link SesCallPacer}). */
    public int perSecondCap() {
        return (int) Math.max(1, Math.floor(full(clock.instant())));
    }

    /** Calls per second the whole cluster may start now: configured rate capped by SES's, scaled down after Throttling. */
    public double clusterCap() {
        return Math.min(configuredRate, sesRate) * recoveredFactor(clock.instant());
    }

    private double full(Instant now) {
        return Math.min(configuredRate, sesRate) / replicas * recoveredFactor(now);
    }

    /** SES answered Throttling: halve. */
    public synchronized void throttled() {
        Instant now = clock.instant();
        factor = Math.max(FLOOR, recoveredFactor(now) / 2);
        factorAt = now;
        LOG.info("SES throttled: send rate scaled to {} % of the configured rate", Math.round(factor * 100));
    }

    /** Counts one mail SES accepted; written to the cluster's hourly count by {@link #refreshShare()}. */
    public void sent() {
        unflushedSent.incrementAndGet();
    }

    /**
     * Whether the cluster may still send today: its 24-hour count (as last read, plus this replica's
     * mails since) is below {@code max-per-24h} and SES's own quota. Replicas see each other's mails
     * up to one refresh late, so the cluster may overshoot by what the others send in that time.
     */
    public boolean dailyBudgetLeft() {
        return clock.instant().isAfter(quotaClosedUntil)
                && cluster24h + unflushedSent.get() < Math.min(properties.maxPer24h(), ses24h);
    }

    /**
     * The share of the cluster's 24-hour budget used: the same count and limit as {@link #dailyBudgetLeft()}
     * (cluster count as last read plus this replica's mails since, over {@code max-per-24h} capped by SES's quota).
     */
    public double dailyBudgetUsed() {
        return (cluster24h + unflushedSent.get()) / Math.min(properties.maxPer24h(), ses24h);
    }

    /**
     * Whether every other replica has had one refresh since this one's first heartbeat, and so divides the
     * rate by a count that includes it, and has let the calls it made at its old share leave its pacer's
     * window. Until then this replica sends nothing: starting at once, it would add its share on top of
     * theirs (two replicas sent 36 mails in one second against a limit of 20 in the crash harness before
     * this wait). Half a refresh period covers the others' timers running late (fixed delay, busy machine);
     * the second is their {@link SesCallPacer} window. A replica that found no other live one joins at once.
     */
    public boolean joined() {
        Instant at = joinedAt;
        long refresh = properties.shareRefreshMillis();
        return at != null && clock.instant().isAfter(at.plusMillis(refresh + refresh / 2 + 1000));
    }

    /**
     * SES answered "Daily message quota exceeded": no recipient is admitted for {@code quota-recheck},
     * then one tries again. True for the first report of a closed window (the one that alerts).
     */
    public synchronized boolean quotaExhausted() {
        Instant now = clock.instant();
        boolean first = !now.isBefore(quotaClosedUntil);
        quotaClosedUntil = now.plus(properties.quotaRecheck());
        if (first) {
            LOG.warn("SES daily quota exhausted: sending waits {} before trying again", properties.quotaRecheck());
        }
        return first;
    }

    /**
     * Route {@code send-share}: writes this replica's mails into the cluster's hourly count, sends its
     * heartbeat, and reads back the live replicas and the cluster's 24-hour count.
     */
    public synchronized void refreshShare() {
        flushSent();
        sendLog.heartbeat(replicaId);
        int live = sendLog.liveReplicas(LIVE_WITHIN);
        if (joinedAt == null) {
            // Alone, nobody sends at a share that leaves this replica out: a replica starting at the same
            // moment reads this heartbeat after writing its own, and waits.
            joinedAt = live == 1 ? Instant.EPOCH : clock.instant();
        }
        if (live != replicas) {
            LOG.info("Live replicas: {} (each sends 1/{} of the configured rate)", live, live);
        }
        replicas = live;
        cluster24h = sendLog.sentInLast24Hours();
    }

    /** On shutdown: this replica's mails into the count, and its share back to the others at once. */
    @PreDestroy
    public synchronized void leave() {
        flushSent();
        sendLog.forget(replicaId);
    }

    private void flushSent() {
        long mails = unflushedSent.getAndSet(0);
        try {
            if (mails > 0) {
                sendLog.addSent(mails);
            }
        } catch (RuntimeException e) {
            unflushedSent.addAndGet(mails);
            throw e;
        }
    }

    /** Reads SES's GetSendQuota (route {@code send-quota}, every five minutes) when {@code use-ses-quota}. */
    public void refreshQuota() {
        if (!properties.useSesQuota()) {
            return;
        }
        GetSendQuotaResponse quota = ses.getSendQuota();
        // SES answers -1 for a limit it does not apply (an unlimited quota).
        sesRate = quota.maxSendRate() < 0 ? Double.MAX_VALUE : quota.maxSendRate();
        ses24h = quota.max24HourSend() < 0 ? Double.MAX_VALUE : quota.max24HourSend();
        LOG.info("SES quota: {}/s, {} per 24 h, {} sent in the last 24 h",
                quota.maxSendRate(), quota.max24HourSend(), quota.sentLast24Hours());
    }

    /** Changes the cluster rate at runtime (operations; the benchmark). */
    public void setMaxRate(double perSecond) {
        this.configuredRate = perSecond;
    }

    /** Back to the configured rate with no throttling history and the daily window open. */
    public synchronized void reset() {
        configuredRate = properties.maxRate();
        quotaClosedUntil = Instant.EPOCH;
        factor = 1.0;
        factorAt = Instant.EPOCH;
    }

    private double recoveredFactor(Instant now) {
        double seconds = Duration.between(factorAt, now).toMillis() / 1000.0;
        return Math.min(1.0, factor + RECOVERY_PER_SECOND * seconds);
    }
}
