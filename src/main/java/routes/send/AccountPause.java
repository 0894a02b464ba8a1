package routes.send;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import routes.model.CampaignStatus;
import routes.store.Campaigns;

/**
 * SES paused sending for the account or the configuration set: every SENDING campaign is paused (an
 * operator resumes them once SES sends again) and one alert goes out per minute at most.
 */
@Component
public class AccountPause {

    private static final Logger LOG = LoggerFactory.getLogger(AccountPause.class);
    private static final Duration ALERT_INTERVAL = Duration.ofMinutes(1);

    private final Campaigns campaigns;
    private final CampaignGate gate;
    private final ObjectMapper json;
    private final Clock clock;
    private Instant alertedAt = Instant.EPOCH;

    public AccountPause(Campaigns campaigns, CampaignGate gate, ObjectMapper json, Clock clock) {
        this.campaigns = campaigns;
        this.gate = gate;
        this.json = json;
        this.clock = clock;
    }

    /** What {@link #pauseAll} did: the campaigns it paused, and the alert to publish (null when one went out lately). */
    public record Paused(List<String> campaignIds, String alert) {}

    /** Pauses every SENDING campaign. */
    public synchronized Paused pauseAll(String sesErrorCode) throws JsonProcessingException {
        List<String> paused = new ArrayList<>();
        for (String campaignId : campaigns.idsWithStatus(CampaignStatus.SENDING)) {
            if (campaigns.transition(campaignId, Set.of(CampaignStatus.SENDING), CampaignStatus.PAUSED)) {
                gate.forget(campaignId);
                paused.add(campaignId);
            }
        }
        LOG.warn("SES answered {}: paused {} campaigns {}", sesErrorCode, paused.size(), paused);
        Instant now = clock.instant();
        if (paused.isEmpty() && alertedAt.plus(ALERT_INTERVAL).isAfter(now)) {
            return new Paused(paused, null);
        }
        alertedAt = now;
        Map<String, Object> alert = new LinkedHashMap<>();
        alert.put("type", "ses.sending-paused");
        alert.put("occurredAt", now.toString());
        alert.put("sesErrorCode", sesErrorCode);
        alert.put("pausedCampaigns", paused);
        alert.put("action", "SES stopped sending; resume the campaigns once sending is re-enabled");
        return new Paused(paused, json.writeValueAsString(alert));
    }
}
