package routes.intake;

import java.util.Map;

/**
 * One recipient row as read from a file, before validation.
 *
 * @param line     line of the file where the row starts (1-based)
 * @param segment  index into {@link CampaignDefinition#segments()}
 * @param template row-level template (JSONL), or null to inherit
 * @param from     row-level sender (JSONL), or null to inherit
 * @param tags     row-level message tags (JSONL), or empty
 */
public record Row(long line, int segment, String email, String template, String from,
                  Map<String, String> tags, Map<String, Object> variables) {
}
