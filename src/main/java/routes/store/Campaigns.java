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

/** The campaigns table: status transitions guarded by condition, counters added atomically. */
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
    private static final DateTimeFormatter SORTABLE =
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

    /**
     * What the launch needs of a campaign row.
     *
     * @param reclaim    the ledger statuses a resend launch may send to again (empty for a first launch)
     * @param launch     0 for the first launch, n for the n-th resend: chunks of different launches differ
     * @param progressAt when a launcher last recorded progress (or first claimed the campaign)
     */
    public record Launchable(String campaignId, CampaignStatus status, Instant sendAt, String format,
                             String sourceKey, String recipientsKey, String definition, int enqueuedChunks,
                             List<MessageStatus> reclaim, int launch, Instant progressAt) {}

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

    public Optional<Launchable> launchable(String campaignId) {
        Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(table).key(key(campaignId))
                .consistentRead(true)).item();
        if (item == null || item.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Launchable(campaignId, CampaignStatus.valueOf(Items.string(item, "status")),
                Items.instant(item, "sendAt").orElse(null), Items.string(item, "format"),
                Items.string(item, "sourceKey"), Items.string(item, "recipientsKey"),
                Items.string(item, "definition"), (int) Items.number(item, "enqueuedChunks"),
                item.containsKey("reclaim") ? item.get("reclaim").ss().stream().map(MessageStatus::valueOf).toList() : List.of(),
                (int) Items.number(item, "resends"), Items.instant(item, "progressAt").orElse(null)));
    }

    /** Ids of campaigns in {@code status} whose sendAt is not after {@code until} (GSI status-sendAt). */
    public List<String> due(CampaignStatus status, Instant until) {
        List<String> ids = new ArrayList<>();
        dynamo.queryPaginator(b -> b.tableName(table).indexName(routes.aws.Tables.CAMPAIGNS_BY_STATUS)
                        .keyConditionExpression("#s = :s AND sendAt <= :until")
                        .expressionAttributeNames(Map.of("#s", "status"))
                        .expressionAttributeValues(Map.of(":s", Items.s(status.name()),
                                ":until", Items.s(SORTABLE.format(until))))
                        .projectionExpression("campaignId"))
                .items().forEach(item -> ids.add(Items.string(item, "campaignId")));
        return ids;
    }

    /**
     * Claims a campaign for launching: from one of {@code from}, or from a LAUNCHING whose launcher
     * stopped reporting progress before {@code staleBefore} (it crashed; its progress stays on the row).
     */
    public boolean claimLaunch(String campaignId, Set<CampaignStatus> from, Instant staleBefore) {
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":launching", Items.s(CampaignStatus.LAUNCHING.name()));
        values.put(":now", Items.s(SORTABLE.format(clock.instant())));
        values.put(":stale", Items.s(SORTABLE.format(staleBefore)));
        String allowed = statusIn(from, values);
        try {
            dynamo.updateItem(b -> b.tableName(table).key(key(campaignId))
                    .updateExpression("SET #s = :launching, launchHeartbeat = :now, updatedAt = :now, "
                            + "progressAt = if_not_exists(progressAt, :now)")
                    .conditionExpression("#s IN (" + allowed + ") OR (#s = :launching AND "
                            + "(attribute_not_exists(launchHeartbeat) OR launchHeartbeat < :stale))")
                    .expressionAttributeNames(Map.of("#s", "status"))
                    .expressionAttributeValues(values));
            return true;
        } catch (ConditionalCheckFailedException lost) {
            return false;
        }
    }

    /** Records that chunks {@code 0..enqueuedChunks-1} are on the send queue; false if the launch lost its claim. */
    public boolean recordEnqueued(String campaignId, int enqueuedChunks) {
        try {
            dynamo.updateItem(b -> b.tableName(table).key(key(campaignId))
                    .updateExpression("SET enqueuedChunks = :n, launchHeartbeat = :now, progressAt = :now")
                    .conditionExpression("#s = :launching")
                    .expressionAttributeNames(Map.of("#s", "status"))
                    .expressionAttributeValues(Map.of(":n", Items.n(enqueuedChunks),
                            ":now", Items.s(SORTABLE.format(clock.instant())),
                            ":launching", Items.s(CampaignStatus.LAUNCHING.name()))));
            return true;
        } catch (ConditionalCheckFailedException lost) {
            return false;
        }
    }

    /** LAUNCHING → SENDING with the totals of the launch. */
    public boolean finishLaunch(String campaignId, int chunkCount, long recipientCount) {
        try {
            dynamo.updateItem(b -> b.tableName(table).key(key(campaignId))
                    .updateExpression("SET #s = :sending, chunkCount = :chunks, enqueuedChunks = :chunks, "
                            + "recipientCount = :recipients, updatedAt = :now")
                    .conditionExpression("#s = :launching")
                    .expressionAttributeNames(Map.of("#s", "status"))
                    .expressionAttributeValues(Map.of(":sending", Items.s(CampaignStatus.SENDING.name()),
                            ":launching", Items.s(CampaignStatus.LAUNCHING.name()),
                            ":chunks", Items.n(chunkCount), ":recipients", Items.n(recipientCount),
                            ":now", Items.s(SORTABLE.format(clock.instant())))));
            return true;
        } catch (ConditionalCheckFailedException lost) {
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
    private static String statusIn(Set<CampaignStatus> from, Map<String, AttributeValue> values) {
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

    /**
     * Records chunk {@code chunk} of the campaign as done, idempotently (a number set {@code chunksDone},
     * so a redelivered chunk is not counted twice), and answers whether every chunk of the launch's
     * {@code chunkCount} is now done. False while launch has not written {@code chunkCount}.
     */
    public boolean chunkDone(String campaignId, int chunk) {
        Map<String, AttributeValue> item = dynamo.updateItem(b -> b.tableName(table).key(key(campaignId))
                .updateExpression("ADD chunksDone :chunk SET updatedAt = :now")
                .conditionExpression("attribute_exists(campaignId)")
                .expressionAttributeValues(Map.of(":chunk", AttributeValue.fromNs(List.of(Integer.toString(chunk))),
                        ":now", Items.s(clock.instant().toString())))
                .returnValues(ReturnValue.ALL_NEW)).attributes();
        AttributeValue done = item.get("chunksDone");
        return item.containsKey("chunkCount") && done != null && done.ns().size() >= Items.number(item, "chunkCount");
    }
}
