package routes.launch;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import routes.intake.CampaignObjects;

/**
 * A recurring campaign's firing: its recipients CSV is copied into the inbox with a manifest made
 * from the configuration, under a name stamped with the firing time. The intake then treats it like
 * any dropped file, so every firing becomes a fresh, fully validated campaign with its own report.
 */
@Component
public class RecurringCampaigns {

    private static final Logger LOG = LoggerFactory.getLogger(RecurringCampaigns.class);
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("uuuuMMdd-HHmmss").withZone(ZoneOffset.UTC);

    private final CampaignObjects objects;
    private final LaunchProperties properties;
    private final Clock clock;
    private final ObjectMapper json = new ObjectMapper();

    public RecurringCampaigns(CampaignObjects objects, LaunchProperties properties, Clock clock) {
        this.objects = objects;
        this.properties = properties;
        this.clock = clock;
    }

    /** @return the campaign id of this firing */
    public String fire(LaunchProperties.Recurring recurring) {
        String campaignId = recurring.name() + "-" + STAMP.format(clock.instant());
        String base = "inbox/" + campaignId;
        Map<String, Object> manifest = new LinkedHashMap<>();
        manifest.put("campaignId", campaignId);
        manifest.put("name", recurring.name());
        manifest.put("template", recurring.template());
        if (!recurring.templateByWeekOfMonth().isEmpty()) {
            manifest.put("templateByWeekOfMonth", recurring.templateByWeekOfMonth());
        }
        if (recurring.from() != null) {
            manifest.put("from", recurring.from());
        }
        if (recurring.subject() != null) {
            manifest.put("subject", recurring.subject());
        }
        manifest.put("tags", Map.of("recurring", recurring.name()));
        // The CSV first: the manifest is what makes the intake take the pair.
        objects.copy(recurring.sourceKey(), base + ".csv");
        try {
            objects.putJson(base + ".manifest.json", json.writeValueAsBytes(manifest));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        LOG.info("Recurring campaign {} fired as {}", recurring.name(), campaignId);
        return campaignId;
    }
}
