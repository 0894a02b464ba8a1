package routes.integrations;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import org.apache.camel.Exchange;
import org.apache.camel.Header;
import org.springframework.stereotype.Component;
import routes.intake.CampaignIntake;
import routes.intake.IntakeFiles;

/**
 * {@code mailroutes-campaign-sink}: a campaign file from an integration route, put into the inbox under a
 * name of its own so the intake takes it as any dropped file and the route can wait for its report.
 * Header {@code CampaignId} sets a JSON campaign's id (a scheduled route stamps its fire date into it).
 */
@Component
public class CampaignSubmissions {

    public static final String CAMPAIGN_ID = "CampaignId";
    static final String FILE = "mailroutesCampaignFile";
    static final String FORMAT = "mailroutesCampaignFormat";

    private final ObjectMapper json;

    public CampaignSubmissions(ObjectMapper json) {
        this.json = json;
    }

    /** The file's content; sets the inbox key (header CamelAwsS3Key) and the report key it will get. */
    public byte[] file(byte[] body, @Header(CAMPAIGN_ID) String campaignId, Exchange exchange) throws IOException {
        String format = exchange.getProperty(FORMAT, String.class);
        if (!"json".equals(format) && !"jsonl".equals(format)) {
            throw new IllegalArgumentException("mailroutes-campaign-sink: format must be json or jsonl, not " + format);
        }
        if (campaignId != null && !"json".equals(format)) {
            throw new IllegalArgumentException("mailroutes-campaign-sink: header CampaignId needs format json");
        }
        byte[] content = campaignId == null ? body : withId(body, campaignId);
        String name = exchange.getFromRouteId() + "-" + exchange.getExchangeId() + "." + format;
        exchange.setProperty(FILE, name);
        exchange.getMessage().setHeader("CamelAwsS3Key", IntakeFiles.INBOX + name);
        return content;
    }

    /** Where the intake writes the report of the file {@link #file} named. */
    public String reportKey(Exchange exchange) {
        return CampaignIntake.REPORTS + exchange.getProperty(FILE, String.class) + ".report.json";
    }

    private byte[] withId(byte[] body, String campaignId) throws IOException {
        if (!(json.readTree(body) instanceof ObjectNode campaign)) {
            throw new IllegalArgumentException("mailroutes-campaign-sink: the campaign must be a JSON object to take a CampaignId");
        }
        campaign.put("campaignId", campaignId);
        return json.writeValueAsBytes(campaign);
    }
}
