package routes.intake;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The campaign-level fields of a file (DESIGN §2), without its recipients. Stored as JSON on the
 * campaign row so the launch can resolve each recipient without parsing the header again.
 *
 * @param sendAt                null means now
 * @param templateByWeekOfMonth week of month (1..5) → template name, overriding {@code template}
 * @param segments              per-segment overrides, by position in the file
 */
public record CampaignDefinition(String campaignId, String name, Instant sendAt, String from, String replyTo,
                                 String configurationSet, String template, Map<Integer, String> templateByWeekOfMonth,
                                 String subject, Map<String, String> tags, String callbackUrl,
                                 List<Segment> segments) {

    /** A JSON segment's overrides; CSV and JSONL files have one unnamed segment. */
    public record Segment(String listName, String template, String from, String subject) {}

    public Segment segment(int index) {
        return index < segments.size() ? segments.get(index) : new Segment(null, null, null, null);
    }
}
