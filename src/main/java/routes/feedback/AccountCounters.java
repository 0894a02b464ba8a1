package routes.feedback;

import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.stereotype.Component;
import routes.store.EventLog;

/**
 * The account's sends, hard bounces and complaints (every campaign and transactional mail), counted in memory
 * and added to the day's persisted counts at each counter flush, which all replicas share.
 */
@Component
public class AccountCounters {

    /** The account's counts over the reputation window. */
    public record Figures(long sends, long bounces, long complaints) {}

    private final EventLog log;
    private final FeedbackProperties.Reputation reputation;
    private final Clock clock;
    private final Map<String, AtomicLong> pending = new LinkedHashMap<>(Map.of(
            "sends", new AtomicLong(), "bounces", new AtomicLong(), "complaints", new AtomicLong()));

    public AccountCounters(EventLog log, FeedbackProperties feedback, Clock clock) {
        this.log = log;
        this.reputation = feedback.reputation();
        this.clock = clock;
    }

    public void count(RecipientEvent event) {
        String counter = switch (event.kind()) {
            case "Send" -> "sends";
            case "Bounce.Permanent" -> "bounces";
            case "Complaint" -> "complaints";
            default -> null;
        };
        if (counter != null) {
            pending.get(counter).incrementAndGet();
        }
    }

    /** Writes what was counted since the last flush; the window's figures, or null when nothing was counted. */
    public synchronized Figures flush() {
        Map<String, Long> deltas = new LinkedHashMap<>();
        pending.forEach((name, count) -> deltas.put(name, count.getAndSet(0)));
        if (deltas.values().stream().allMatch(delta -> delta == 0)) {
            return null;
        }
        LocalDate today = LocalDate.now(clock.withZone(ZoneOffset.UTC));
        try {
            Map<String, Long> sums = log.addAccountCounts(today, deltas,
                    today.minusDays(Math.max(1, reputation.accountWindow().toDays()) - 1));
            return new Figures(sums.get("sends"), sums.get("bounces"), sums.get("complaints"));
        } catch (RuntimeException e) {
            deltas.forEach((name, delta) -> pending.get(name).addAndGet(delta));
            throw e;
        }
    }
}
