package routes.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import org.apache.camel.Header;
import org.springframework.stereotype.Component;
import routes.intake.CampaignIntake;
import routes.model.CampaignStatus;
import routes.model.MessageStatus;
import routes.store.Campaigns;
import routes.store.Page;

/**
 * Campaigns over HTTP: list, show (counters and rates), pause, resume, cancel, resend. Resume sends a paused
 * campaign back to SCHEDULED: the launcher picks it up again and the ledger's derived message ids keep
 * recipients already sent from getting a second mail.
 */
@Component
public class CampaignControl {

    private static final Set<CampaignStatus> PAUSABLE = EnumSet.of(CampaignStatus.ACCEPTED, CampaignStatus.SCHEDULED,
            CampaignStatus.LAUNCHING, CampaignStatus.SENDING);
    private static final Set<CampaignStatus> CANCELLABLE = EnumSet.of(CampaignStatus.ACCEPTED, CampaignStatus.SCHEDULED,
            CampaignStatus.LAUNCHING, CampaignStatus.SENDING, CampaignStatus.PAUSED);

    /** Campaigns whose sending is over: only these can be resent. */
    private static final Set<CampaignStatus> RESENDABLE = EnumSet.of(CampaignStatus.SENT, CampaignStatus.COMPLETED,
            CampaignStatus.CANCELLED);

    /** Campaigns no launcher has taken yet: only these can be removed. */
    private static final Set<CampaignStatus> UNLAUNCHED = EnumSet.of(CampaignStatus.ACCEPTED, CampaignStatus.SCHEDULED);

    private final Campaigns campaigns;
    private final CampaignIntake intake;
    private final ApiProperties api;
    private final ObjectMapper json;

    public CampaignControl(Campaigns campaigns, CampaignIntake intake, ApiProperties api, ObjectMapper json) {
        this.campaigns = campaigns;
        this.intake = intake;
        this.api = api;
        this.json = json;
    }

    public ApiReply list(@Header("status") String status, @Header("limit") String limit, @Header("cursor") String cursor) {
        CampaignStatus wanted = ApiInput.oneOf("status", status, CampaignStatus.class);
        int size = ApiInput.limit(limit, api.maxPageSize());
        Page<Campaigns.Campaign> page = ApiInput.paged(cursor, () -> campaigns.list(wanted, size, cursor));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("items", page.items().stream().map(CampaignControl::view).toList());
        body.put("next", page.next());
        return ApiReply.json(200, body);
    }

    public ApiReply get(@Header("id") String id) {
        return ApiReply.json(200, view(find(id)));
    }

    public ApiReply pause(@Header("id") String id) {
        return move(id, PAUSABLE, CampaignStatus.PAUSED);
    }

    public ApiReply resume(@Header("id") String id) {
        return move(id, EnumSet.of(CampaignStatus.PAUSED), CampaignStatus.SCHEDULED, () -> campaigns.resume(id));
    }

    public ApiReply cancel(@Header("id") String id) {
        return move(id, CANCELLABLE, CampaignStatus.CANCELLED);
    }

    /** {@code PATCH /campaigns/{id}}: a SCHEDULED campaign gets another send time (one in the past: the next launcher run). */
    public ApiReply reschedule(@Header("id") String id, String body) throws IOException {
        String sendAt = json.readTree(body).path("sendAt").asText();
        Instant at;
        try {
            at = OffsetDateTime.parse(sendAt).toInstant();
        } catch (DateTimeParseException e) {
            throw ApiProblem.invalid("sendAt", "date-time", "sendAt must be ISO-8601 with an offset, e.g. 2026-05-01T09:00:00+02:00");
        }
        Set<CampaignStatus> scheduled = EnumSet.of(CampaignStatus.SCHEDULED);
        return move(id, scheduled, CampaignStatus.SCHEDULED, () -> campaigns.reschedule(id, scheduled, at));
    }

    /** {@code DELETE /campaigns/{id}}: a campaign not yet launched is removed, row and archived files (its report stays). */
    public ApiReply remove(@Header("id") String id) {
        Campaigns.Campaign campaign = find(id);
        if (!campaigns.remove(id, UNLAUNCHED)) {
            throw ApiProblem.conflict("Campaign " + id + " is " + campaigns.status(id).orElse(campaign.status())
                    + "; only " + UNLAUNCHED + " can be deleted");
        }
        intake.withdraw(id);
        return ApiReply.json(204, null);
    }

    /**
     * {@code POST /campaigns/{id}/resend?status=FAILED}: a fresh launch of the accepted file in which
     * only FAILED rows and recipients never submitted (no row, or a row given back as QUEUED) are sent;
     * SENT, delivered, bounced, suppressed… rows are left alone by the send flow's claim.
     */
    public ApiReply resend(@Header("id") String id, @Header("status") String status) {
        MessageStatus wanted = ApiInput.oneOf("status", status, MessageStatus.class);
        if (wanted != null && wanted != MessageStatus.FAILED) {
            throw ApiProblem.invalid("status", "FAILED", "Only FAILED recipients (and those never submitted) can be resent");
        }
        Campaigns.Campaign campaign = find(id);
        if (!campaigns.startResend(id, RESENDABLE, EnumSet.of(MessageStatus.FAILED))) {
            throw ApiProblem.conflict("Campaign " + id + " is " + campaigns.status(id).orElse(campaign.status())
                    + "; only " + RESENDABLE + " can be resent");
        }
        return ApiReply.json(202, view(find(id)));
    }

    private ApiReply move(String id, Set<CampaignStatus> from, CampaignStatus to) {
        return move(id, from, to, () -> campaigns.transition(id, from, to));
    }

    private ApiReply move(String id, Set<CampaignStatus> from, CampaignStatus to, BooleanSupplier transition) {
        Campaigns.Campaign campaign = find(id);
        if (!transition.getAsBoolean()) {
            throw ApiProblem.conflict("Campaign " + id + " is " + campaigns.status(id).orElse(campaign.status())
                    + "; only " + from + " can become " + to);
        }
        return ApiReply.json(200, view(find(id)));
    }

    private Campaigns.Campaign find(String id) {
        return campaigns.find(id).orElseThrow(() -> ApiProblem.notFound("No campaign " + id));
    }

    private static Map<String, Object> view(Campaigns.Campaign campaign) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("campaignId", campaign.campaignId());
        body.put("name", campaign.name());
        body.put("status", campaign.status() == null ? null : campaign.status().name());
        body.put("sendAt", campaign.sendAt());
        body.put("createdAt", campaign.createdAt());
        body.put("updatedAt", campaign.updatedAt());
        body.put("counts", campaign.counts());
        body.put("rates", rates(campaign.counts()));
        return body;
    }

    /** Shares of sent (delivered, bounced, complained) and of delivered (opened, clicked), as fractions. */
    static Map<String, Double> rates(Map<String, Long> counts) {
        long sent = counts.getOrDefault("sent", 0L);
        long delivered = counts.getOrDefault("delivered", 0L);
        Map<String, Double> rates = new LinkedHashMap<>();
        rates.put("delivery", ratio(delivered, sent));
        rates.put("bounce", ratio(counts.getOrDefault("bounced", 0L), sent));
        rates.put("complaint", ratio(counts.getOrDefault("complained", 0L), sent));
        rates.put("open", ratio(counts.getOrDefault("opened", 0L), delivered));
        rates.put("click", ratio(counts.getOrDefault("clicked", 0L), delivered));
        return rates;
    }

    private static double ratio(long part, long whole) {
        return whole == 0 ? 0.0 : Math.round(part * 10000.0 / whole) / 10000.0;
    }
}
