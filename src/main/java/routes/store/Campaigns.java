package routes.store;

import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.springframework.stereotype.Component;
import routes.aws.AwsProperties;
import routes.aws.Tables;
import routes.model.CampaignStatus;
import routes.model.MessageStatus;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;
import software.amazon.awssdk.services.dynamodb.model.Select;

/**
 * The campaigns table as the campaign's owners see it: registration, status transitions guarded by condition,
 * counters added atomically, lists. What the launch and the send flow record of their progress is
 * {@link LaunchProgress}.
 */
@Component
public class Campaigns {

    private final DynamoDbClient dynamo;
    private final String table;
    private final Clock clock;

    public Campaigns(DynamoDbClient dynamo, AwsProperties aws, Clock clock) {
        this.dynamo = dynamo;
        this.table = aws.table(Tables.CAMPAIGNS);
        this.clock = clock;
    }

    public Optional<CampaignStatus> status(String campaignId) {
        Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(table).key(key(campaignId))
                .projectionExpression("#s").expressionAttributeNames(Map.of("#s", "status")).consistentRead(true)).item();
        return item == null || item.isEmpty() ? Optional.empty()
                : Optional.of(CampaignStatus.valueOf(Items.string(item, "status")));
    }

    /** Changes the status only if it is one of {@code from}; false when another writer got there first. */
    public boolean transition(String campaignId, Set<CampaignStatus> from, CampaignStatus to) {
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":to", Items.s(to.name()));
        values.put(":now", Items.s(clock.instant().toString()));
        return updateIfStatusIn(campaignId, from, "SET #s = :to, updatedAt = :now", values);
    }

    /** The counters the reputation guard judges; {@code <name>GuardBase} holds each one's value at the last resume. */
    private static final List<String> GUARDED = List.of("sent", "sesSent", "bounced", "complained");

    /**
     * Resumes a PAUSED campaign (→ SCHEDULED) and re-arms its reputation guard in the same write: the counters'
     * values now become the guard's base, so it judges only the mail counted after the resume.
     */
    public boolean resume(String campaignId) {
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":to", Items.s(CampaignStatus.SCHEDULED.name()));
        values.put(":now", Items.s(clock.instant().toString()));
        values.put(":zero", Items.n(0));
        StringBuilder update = new StringBuilder("SET #s = :to, updatedAt = :now");
        GUARDED.forEach(name -> update.append(", ").append(name).append("GuardBase = if_not_exists(")
                .append(name).append("Count, :zero)"));
        return updateIfStatusIn(campaignId, Set.of(CampaignStatus.PAUSED), update.toString(), values);
    }

    /** What the reputation guard judges: the campaign's status and its counts since the last resume. */
    public record Reputation(CampaignStatus status, long sent, long sesSent, long bounced, long complained) {}

    /** The campaign's {@link Reputation}, from the persisted counters every replica adds to (consistent read). */
    public Optional<Reputation> reputation(String campaignId) {
        Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(table).key(key(campaignId))
                .consistentRead(true)).item();
        if (item == null || item.isEmpty()) {
            return Optional.empty();
        }
        long[] since = GUARDED.stream().mapToLong(name -> Items.number(item, name + "Count")
                - Items.number(item, name + "GuardBase")).toArray();
        return Optional.of(new Reputation(CampaignStatus.valueOf(Items.string(item, "status")),
                since[0], since[1], since[2], since[3]));
    }

    /** One UpdateItem ({@code #s} names the status) on the condition that the status is one of {@code from}. */
    private boolean updateIfStatusIn(String campaignId, Set<CampaignStatus> from, String update,
                                     Map<String, AttributeValue> values) {
        String allowed = statusIn(from, values);
        try {
            dynamo.updateItem(b -> b.tableName(table).key(key(campaignId))
                    .updateExpression(update)
                    .conditionExpression("#s IN (" + allowed + ")")
                    .expressionAttributeNames(Map.of("#s", "status"))
                    .expressionAttributeValues(values));
            return true;
        } catch (ConditionalCheckFailedException lost) {
            return false;
        }
    }

    /**
     * Adds the deltas to the campaign's counters ({@code sent} → attribute {@code sentCount}) in one
     * write; callers aggregate first, since one item cannot take a write per recipient.
     */
    public void addCounters(String campaignId, Map<String, Long> deltas) {
        if (deltas.isEmpty()) {
            return;
        }
        Map<String, String> names = new HashMap<>();
        Map<String, AttributeValue> values = new HashMap<>();
        int i = 0;
        StringBuilder add = new StringBuilder("ADD ");
        for (Map.Entry<String, Long> delta : deltas.entrySet()) {
            names.put("#c" + i, delta.getKey() + "Count");
            values.put(":c" + i, Items.n(delta.getValue()));
            add.append(i == 0 ? "" : ", ").append("#c").append(i).append(" :c").append(i);
            i++;
        }
        dynamo.updateItem(b -> b.tableName(table).key(key(campaignId))
                .updateExpression(add.toString())
                .conditionExpression("attribute_exists(campaignId)")
                .expressionAttributeNames(names)
                .expressionAttributeValues(values));
    }

    static Map<String, AttributeValue> key(String campaignId) {
        return Map.of("campaignId", Items.s(campaignId));
    }

    /**
     * A campaign as the API and the webhooks read it.
     *
     * @param counts every {@code <name>Count} attribute, keyed by {@code <name>}
     */
    public record Campaign(String campaignId, String name, CampaignStatus status, String sendAt, String callbackUrl,
                           Map<String, Long> counts, String createdAt, String updatedAt) {}

    public Optional<Campaign> find(String campaignId) {
        Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(table).key(key(campaignId))).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(toCampaign(item));
    }

    /** The inbox key of the file the campaign was registered from (its intake report is named after it). */
    public Optional<String> sourceKey(String campaignId) {
        Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(table).key(key(campaignId))
                .projectionExpression("sourceKey")).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.ofNullable(Items.string(item, "sourceKey"));
    }

    /** Campaigns, all (a scan) or of one status (the {@code status-sendAt} index, by send time). */
    public Page<Campaign> list(CampaignStatus status, int limit, String cursor) {
        Map<String, AttributeValue> start = Items.startKey(cursor);
        if (status == null) {
            ScanResponse page = dynamo.scan(b -> b.tableName(table).limit(limit).exclusiveStartKey(start));
            return new Page<>(page.items().stream().map(Campaigns::toCampaign).toList(), Items.cursor(page.lastEvaluatedKey()));
        }
        QueryResponse page = dynamo.query(b -> b.tableName(table).indexName(Tables.CAMPAIGNS_BY_STATUS).limit(limit)
                .exclusiveStartKey(start).keyConditionExpression("#s = :s")
                .expressionAttributeNames(Map.of("#s", "status"))
                .expressionAttributeValues(Map.of(":s", Items.s(status.name()))));
        return new Page<>(page.items().stream().map(Campaigns::toCampaign).toList(), Items.cursor(page.lastEvaluatedKey()));
    }

    private static Campaign toCampaign(Map<String, AttributeValue> item) {
        Map<String, Long> counts = new TreeMap<>();
        item.forEach((name, value) -> {
            if (name.endsWith("Count") && value.n() != null) {
                counts.put(name.substring(0, name.length() - "Count".length()), Long.parseLong(value.n()));
            }
        });
        String status = Items.string(item, "status");
        return new Campaign(Items.string(item, "campaignId"), Items.string(item, "name"),
                status == null ? null : CampaignStatus.valueOf(status), Items.string(item, "sendAt"),
                Items.string(item, "callbackUrl"), counts, Items.string(item, "createdAt"), Items.string(item, "updatedAt"));
    }

    /** A campaign as a status scan sees it; {@code since} is {@code <status>At} if recorded, else {@code updatedAt}. */
    public record InStatus(String campaignId, CampaignStatus status, Instant since) {}

    /** The campaigns in {@code status} (status-sendAt index). */
    public List<InStatus> inStatus(CampaignStatus status) {
        String stamp = status.name().toLowerCase(Locale.ROOT) + "At";
        return dynamo.queryPaginator(b -> b.tableName(table).indexName(Tables.CAMPAIGNS_BY_STATUS)
                        .keyConditionExpression("#s = :s")
                        .expressionAttributeNames(Map.of("#s", "status"))
                        .expressionAttributeValues(Map.of(":s", Items.s(status.name()))))
                .items().stream()
                .map(item -> new InStatus(Items.string(item, "campaignId"), status,
                        Items.instant(item, stamp).or(() -> Items.instant(item, "updatedAt")).orElse(null)))
                .toList();
    }

    // ── intake and launch ────────────────────────────────────────────────────────────────────────

    /** Fixed-width UTC timestamps, so that string order is time order in the status-sendAt index. */
    static final DateTimeFormatter SORTABLE =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(java.time.ZoneOffset.UTC);

    /**
     * A campaign as intake registers it.
     *
     * @param definition  the campaign fields as JSON (the intake's own shape), read back by the launch
     * @param callbackUrl where the campaign's events are also delivered (webhooks read it from the row); may be null
     */
    public record Registration(String campaignId, CampaignStatus status, Instant sendAt, String name,
                               String format, String sourceKey, String recipientsKey, String sourceETag,
                               String definition, long recipientCount, String callbackUrl) {}

    public boolean exists(String campaignId) {
        return status(campaignId).isPresent();
    }

    /** Conditional put: false when a campaign with this id exists already (a re-dropped file). */
    public boolean register(Registration campaign) {
        String now = SORTABLE.format(clock.instant());
        Map<String, AttributeValue> item = new HashMap<>();
        item.put("campaignId", Items.s(campaign.campaignId()));
        item.put("status", Items.s(campaign.status().name()));
        item.put("sendAt", Items.s(SORTABLE.format(campaign.sendAt())));
        item.put("format", Items.s(campaign.format()));
        item.put("sourceKey", Items.s(campaign.sourceKey()));
        item.put("definition", Items.s(campaign.definition()));
        item.put("recipientCount", Items.n(campaign.recipientCount()));
        item.put("createdAt", Items.s(now));
        item.put("updatedAt", Items.s(now));
        if (campaign.name() != null) {
            item.put("name", Items.s(campaign.name()));
        }
        if (campaign.recipientsKey() != null) {
            item.put("recipientsKey", Items.s(campaign.recipientsKey()));
        }
        if (campaign.sourceETag() != null) {
            item.put("sourceETag", Items.s(campaign.sourceETag()));
        }
        if (campaign.callbackUrl() != null && !campaign.callbackUrl().isBlank()) {
            item.put("callbackUrl", Items.s(campaign.callbackUrl()));
        }
        try {
            dynamo.putItem(b -> b.tableName(table).item(item).conditionExpression("attribute_not_exists(campaignId)"));
            return true;
        } catch (ConditionalCheckFailedException exists) {
            return false;
        }
    }

    /**
     * Starts a resend: a finished or cancelled campaign goes back to SCHEDULED for a fresh launch
     * (progress and done chunks cleared) whose chunks may claim rows in {@code reclaim} again. Rows
     * never claimed are sent anyway; every other row is left alone by the claim. False if the campaign
     * is not in one of {@code from}.
     */
    public boolean startResend(String campaignId, Set<CampaignStatus> from, Set<MessageStatus> reclaim) {
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":scheduled", Items.s(CampaignStatus.SCHEDULED.name()));
        values.put(":reclaim", AttributeValue.fromSs(reclaim.stream().map(Enum::name).toList()));
        values.put(":zero", Items.n(0));
        values.put(":one", Items.n(1));
        values.put(":now", Items.s(SORTABLE.format(clock.instant())));
        return updateIfStatusIn(campaignId, from, "SET #s = :scheduled, reclaim = :reclaim, enqueuedChunks = :zero, "
                + "updatedAt = :now REMOVE chunksDone, chunkCount, launchHeartbeat, progressAt ADD resends :one", values);
    }

    /** A new send time for a campaign still in one of {@code from}; false if it is not (any more). */
    public boolean reschedule(String campaignId, Set<CampaignStatus> from, Instant sendAt) {
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":at", Items.s(SORTABLE.format(sendAt)));
        values.put(":now", Items.s(SORTABLE.format(clock.instant())));
        return updateIfStatusIn(campaignId, from, "SET sendAt = :at, updatedAt = :now", values);
    }

    /** Deletes the campaign's row if it is in one of {@code from}; false if it is not (the launcher took it). */
    public boolean remove(String campaignId, Set<CampaignStatus> from) {
        Map<String, AttributeValue> values = new HashMap<>();
        String allowed = statusIn(from, values);
        try {
            dynamo.deleteItem(b -> b.tableName(table).key(key(campaignId)).conditionExpression("#s IN (" + allowed + ")")
                    .expressionAttributeNames(Map.of("#s", "status")).expressionAttributeValues(values));
            return true;
        } catch (ConditionalCheckFailedException lost) {
            return false;
        }
    }

    /** Adds {@code :f0, :f1, …} for the statuses to {@code values}; returns them as an IN list. */
    static String statusIn(Set<CampaignStatus> from, Map<String, AttributeValue> values) {
        int i = 0;
        for (CampaignStatus status : from) {
            values.put(":f" + i++, Items.s(status.name()));
        }
        return values.keySet().stream().filter(k -> k.startsWith(":f")).sorted().collect(Collectors.joining(", "));
    }

    /** How many campaigns are in {@code status}: a count-only query of the status-sendAt index. */
    public long countWithStatus(CampaignStatus status) {
        long count = 0;
        Map<String, AttributeValue> start = null;
        do {
            Map<String, AttributeValue> from = start;
            QueryResponse page = dynamo.query(b -> b.tableName(table).indexName(Tables.CAMPAIGNS_BY_STATUS)
                    .keyConditionExpression("#s = :s").select(Select.COUNT)
                    .expressionAttributeNames(Map.of("#s", "status"))
                    .expressionAttributeValues(Map.of(":s", Items.s(status.name())))
                    .exclusiveStartKey(from));
            count += page.count();
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (start != null);
        return count;
    }

    /** The ids of every campaign in {@code status}, from the status-sendAt index. */
    public List<String> idsWithStatus(CampaignStatus status) {
        List<String> ids = new ArrayList<>();
        Map<String, AttributeValue> start = null;
        do {
            Map<String, AttributeValue> from = start;
            QueryResponse page = dynamo.query(b -> b.tableName(table).indexName(Tables.CAMPAIGNS_BY_STATUS)
                    .keyConditionExpression("#s = :s")
                    .expressionAttributeNames(Map.of("#s", "status"))
                    .expressionAttributeValues(Map.of(":s", Items.s(status.name())))
                    .exclusiveStartKey(from));
            page.items().forEach(item -> ids.add(Items.string(item, "campaignId")));
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (start != null);
        return ids;
    }
}
