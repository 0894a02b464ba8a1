package routes.api;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.Header;
import org.springframework.stereotype.Component;
import routes.model.MessageStatus;
import routes.store.Ledger;
import routes.store.MessageQueries;
import routes.store.Page;

/** {@code GET /api/v1/emails/{id}} and {@code GET /api/v1/emails?recipient=&campaignId=&status=}. */
@Component
public class EmailQueries {

    private final MessageQueries messages;
    private final ApiProperties api;

    public EmailQueries(MessageQueries messages, ApiProperties api) {
        this.messages = messages;
        this.api = api;
    }

    public ApiReply get(@Header("id") String id) {
        MessageQueries.Details details = messages.details(id).orElseThrow(() -> ApiProblem.notFound("No email " + id));
        Map<String, Object> body = summary(details.entry());
        body.put("subject", details.subject());
        body.put("lastUpdated", details.updatedAt());
        body.put("metadata", details.metadata());
        body.put("events", messages.history(id).stream().map(e -> Map.of("type", e.type(), "timestamp", e.occurredAt(),
                "details", e.attributes())).toList());
        return ApiReply.json(200, body);
    }

    public ApiReply list(@Header("recipient") String recipient, @Header("campaignId") String campaignId,
                         @Header("status") String status, @Header("limit") String limit, @Header("cursor") String cursor) {
        MessageStatus wanted = ApiInput.oneOf("status", status, MessageStatus.class);
        int size = ApiInput.limit(limit, api.maxPageSize());
        Page<Ledger.Entry> page;
        if (recipient != null && !recipient.isBlank()) {
            String address = ApiInput.address("recipient", recipient);
            page = ApiInput.paged(cursor, () -> messages.byRecipient(address, wanted, size, cursor));
            if (campaignId != null && !campaignId.isBlank()) {
                page = new Page<>(page.items().stream().filter(e -> campaignId.equals(e.campaignId())).toList(), page.next());
            }
        } else if (campaignId != null && !campaignId.isBlank()) {
            page = ApiInput.paged(cursor, () -> messages.byCampaign(campaignId, wanted, size, cursor));
        } else {
            throw ApiProblem.invalid("recipient", "recipient or campaignId required",
                    "Give recipient or campaignId (status alone would scan the whole ledger)");
        }
        List<Map<String, Object>> items = page.items().stream().map(EmailQueries::summary).toList();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("items", items);
        body.put("next", page.next());
        return ApiReply.json(200, body);
    }

    private static Map<String, Object> summary(Ledger.Entry entry) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("emailId", entry.messageId());
        body.put("campaignId", entry.campaignId());
        body.put("recipient", entry.recipient());
        body.put("status", entry.status().name());
        body.put("sesMessageId", entry.sesMessageId());
        body.put("createdAt", entry.createdAt());
        body.put("lastError", entry.lastError());
        return body;
    }
}
