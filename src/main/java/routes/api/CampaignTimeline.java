package routes.api;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import org.apache.camel.Header;
import org.springframework.stereotype.Component;
import routes.store.Campaigns;
import routes.store.MessageQueries;

/**
 * {@code GET /api/v1/campaigns/{id}/timeline}: per minute, how many of the campaign's recipients were first sent,
 * delivered, bounced, … in it. Read from the ledger rows' stamps, not from a replica's counters, so the chart is the
 * same whichever replica answers and survives restarts. An open or click counts at the recipient's first one.
 */
@Component
public class CampaignTimeline {

    /** The series of the chart and the ledger stamp each is read from, in the contract's order. */
    static final Map<String, String> SERIES = series();

    private final Campaigns campaigns;
    private final MessageQueries messages;

    public CampaignTimeline(Campaigns campaigns, MessageQueries messages) {
        this.campaigns = campaigns;
        this.messages = messages;
    }

    public ApiReply get(@Header("id") String id) {
        if (!campaigns.exists(id)) {
            throw ApiProblem.notFound("No campaign " + id);
        }
        SortedMap<Instant, Map<String, Long>> minutes = new TreeMap<>();
        List<String> stamps = List.copyOf(SERIES.values());
        messages.stampsOf(id, stamps).forEach(row -> SERIES.forEach((series, stamp) -> {
            Instant minute = minuteOf(row.get(stamp));
            if (minute != null) {
                minutes.computeIfAbsent(minute, m -> zeros()).merge(series, 1L, Long::sum);
            }
        }));
        List<Map<String, Object>> items = new ArrayList<>();
        minutes.forEach((minute, counts) -> {
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("minute", minute.toString());
            item.putAll(counts);
            items.add(item);
        });
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("campaignId", id);
        body.put("minutes", items);
        return ApiReply.json(200, body);
    }

    private static Instant minuteOf(String stamp) {
        if (stamp == null) {
            return null;
        }
        try {
            return Instant.parse(stamp).truncatedTo(ChronoUnit.MINUTES);
        } catch (DateTimeParseException notATime) {
            return null;
        }
    }

    private static Map<String, Long> zeros() {
        Map<String, Long> counts = new LinkedHashMap<>();
        SERIES.keySet().forEach(series -> counts.put(series, 0L));
        return counts;
    }

    private static Map<String, String> series() {
        Map<String, String> series = new LinkedHashMap<>();
        series.put("sent", "sentAt");
        series.put("delivered", "deliveredAt");
        series.put("bounced", "bouncedAt");
        series.put("complained", "complainedAt");
        series.put("opened", "firstOpenAt");
        series.put("clicked", "firstClickAt");
        series.put("failed", "failedAt");
        return Collections.unmodifiableMap(series);
    }
}
