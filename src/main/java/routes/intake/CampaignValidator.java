package routes.intake;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.springframework.stereotype.Component;

/**
 * DESIGN §2 validation. The same checks run at intake (to report) and at launch (to skip the rows
 * intake reported), so both see exactly the same valid recipients.
 */
@Component
public class CampaignValidator {

    /** Template names remembered per pass: rows name their own (JSONL), and a file may name millions. */
    private static final int KNOWN_TEMPLATES = 1000;
    private final TemplateCatalog templates;
    private final MessageRoom room;

    public CampaignValidator(TemplateCatalog templates, MessageRoom room) {
        this.templates = templates;
        this.room = room;
    }

    /**
     * Problems of the campaign fields; any of them rejects the file.
     *
     * @param rowsNameTemplates whether rows carry their own template (JSONL), so the campaign needs none
     */
    public List<Problem> checkDefinition(CampaignDefinition campaign, boolean rowsNameTemplates) {
        List<Problem> problems = new ArrayList<>();
        if (campaign.campaignId() == null || !campaign.campaignId().matches("[A-Za-z0-9._:-]{1,200}")) {
            problems.add(new Problem(0, "campaignId", "must be 1..200 characters of letters, digits, . _ : -"));
        }
        knownTemplate(campaign.template(), "template", problems);
        campaign.templateByWeekOfMonth().forEach((week, name) ->
                knownTemplate(name, "templateByWeekOfMonth." + week, problems));
        for (int i = 0; i < campaign.segments().size(); i++) {
            knownTemplate(campaign.segments().get(i).template(), "segments[" + i + "].template", problems);
        }
        boolean segmentsCoverTemplate = !campaign.segments().isEmpty()
                && campaign.segments().stream().allMatch(s -> s.template() != null);
        if (!rowsNameTemplates && campaign.template() == null && campaign.templateByWeekOfMonth().isEmpty()
                && !segmentsCoverTemplate) {
            problems.add(new Problem(0, "template", "missing: the campaign names no template"));
        }
        if (campaign.from() != null && !AddressValidator.check(SenderAddress.address(campaign.from())).valid()) {
            problems.add(new Problem(0, "from", "not a valid sender address"));
        }
        if (campaign.callbackUrl() != null && !campaign.callbackUrl().isBlank()) {
            CallbackUrl.problem(campaign.callbackUrl()).ifPresent(reason -> problems.add(new Problem(0, "callbackUrl", reason)));
        }
        return problems;
    }

    private void knownTemplate(String name, String field, List<Problem> problems) {
        if (name != null && templates.find(name).isEmpty()) {
            problems.add(new Problem(0, field, "unknown template '" + name + "'"));
        }
    }

    /** A fresh row check for one pass over one campaign's rows (it remembers addresses already taken). */
    public Rows rows(CampaignDefinition campaign, Instant sendDate) {
        return new Rows(campaign, weekOfMonth(sendDate));
    }

    /** Week of the month of the send date in UTC: days 1–7 are week 1, … 29–31 week 5 (seed 000). */
    public static int weekOfMonth(Instant date) {
        return (date.atZone(ZoneOffset.UTC).getDayOfMonth() - 1) / 7 + 1;
    }

    /** Checks rows one by one; duplicates are judged against earlier valid rows (first wins). */
    public final class Rows {

        private final CampaignDefinition campaign;
        private final String campaignTemplate;
        private final MessageRoom.Campaign messageRoom;
        private final SeenAddresses seen = new SeenAddresses();
        private final Map<String, Optional<TemplateCatalog.Template>> known = new HashMap<>();
        private long duplicates;

        private Rows(CampaignDefinition campaign, int week) {
            this.campaign = campaign;
            this.campaignTemplate = campaign.templateByWeekOfMonth().getOrDefault(week, campaign.template());
            this.messageRoom = room.of(campaign);
        }

        public long duplicates() {
            return duplicates;
        }

        /** @return the resolved recipient, or empty after telling {@code problems} why not */
        public Optional<Recipient> check(Row row, Consumer<Problem> problems) {
            AddressValidator.Verdict address = AddressValidator.check(row.email());
            if (!address.valid()) {
                problems.accept(new Problem(row.line(), "email", address.problem()));
                return Optional.empty();
            }
            CampaignDefinition.Segment segment = campaign.segment(row.segment());
            String template = first(row.template(), segment.template(), campaignTemplate);
            if (template == null) {
                problems.accept(new Problem(row.line(), "template", "missing: neither row, segment nor campaign names one"));
                return Optional.empty();
            }
            Optional<TemplateCatalog.Template> found = known.size() < KNOWN_TEMPLATES || known.containsKey(template)
                    ? known.computeIfAbsent(template, templates::find) : templates.find(template);
            if (found.isEmpty()) {
                problems.accept(new Problem(row.line(), "template", "unknown template '" + template + "'"));
                return Optional.empty();
            }
            boolean complete = true;
            for (String variable : found.get().requiredVariables()) {
                Object value = row.variables().get(variable);
                if (value == null || value.toString().isBlank()) {
                    problems.accept(new Problem(row.line(), variable,
                            "missing; template '" + template + "' requires it"));
                    complete = false;
                }
            }
            if (!complete) {
                return Optional.empty();
            }
            Recipient recipient = new Recipient(row.line(), segment.listName(), address.address(), template,
                    first(row.from(), segment.from()), first(segment.subject(), campaign.subject()), row.tags(), row.variables());
            Optional<Problem> tooLarge = messageRoom.check(recipient);
            if (tooLarge.isPresent()) {
                problems.accept(tooLarge.get());
                return Optional.empty();
            }
            if (!seen.add(address.address())) {
                duplicates++;
                problems.accept(new Problem(row.line(), "email", "duplicate of an earlier row; the first one is kept"));
                return Optional.empty();
            }
            return Optional.of(recipient);
        }
    }

    private static String first(String... values) {
        for (String value : values) {
            if (value != null && !value.isBlank()) {
                return value;
            }
        }
        return null;
    }
}
