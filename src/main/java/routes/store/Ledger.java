package routes.store;

import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.springframework.stereotype.Component;
import routes.aws.AwsProperties;
import routes.aws.Tables;
import routes.model.MessageStatus;
import routes.model.SendChunk;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
import software.amazon.awssdk.services.dynamodb.model.Select;

/**
 * The per-recipient ledger (messages table) as the send and feedback flows write it: one row per recipient
 * send, whose status only ever moves up in rank (DESIGN §3). The API's reads are {@link MessageQueries},
 * erasure is {@link LedgerErasure}.
 */
@Component
public class Ledger {

    /** One ledger row as the flows read it. */
    public record Entry(String messageId, String campaignId, String recipient, MessageStatus status,
                        String sesMessageId, long attempts, String lastError, String segment, String createdAt) {}

    private final DynamoDbClient dynamo;
    private final String table;
    private final Clock clock;
    private final Duration retention;

    public Ledger(DynamoDbClient dynamo, AwsProperties aws, Clock clock) {
        this.dynamo = dynamo;
        this.table = aws.table(Tables.MESSAGES);
        this.clock = clock;
        this.retention = aws.retention();
    }

    /** The row's DynamoDB TTL (epoch seconds): kept {@code mailroutes.aws.retention} after its last send. */
    private AttributeValue expiry() {
        return Items.n(clock.instant().plus(retention).getEpochSecond());
    }

    public Optional<Entry> find(String messageId) {
        Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(table)
                .key(key(messageId)).consistentRead(true)).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(toEntry(item));
    }

    /**
     * Moves an existing row to {@code status} if that outranks the current one, stamping
     * {@code <status>At} and setting the extra attributes. Returns false when the row is missing or
     * already at an equal or higher rank (a late or repeated event).
     */
    public boolean advance(String messageId, MessageStatus status, Map<String, AttributeValue> extra) {
        return advance(messageId, status, extra, null);
    }

    /**
     * As {@link #advance(String, MessageStatus, Map)}, remembering {@code eventKey} (attribute {@code statusEventKey})
     * as the event that set the status; the same event may then apply again, so that its reprocessing after a
     * failure still reports the change it made.
     */
    public boolean advance(String messageId, MessageStatus status, Map<String, AttributeValue> extra, String eventKey) {
        String now = clock.instant().toString();
        Map<String, String> names = new HashMap<>(Map.of("#s", "status", "#r", "statusRank", "#at", timestampOf(status)));
        Map<String, AttributeValue> values = new HashMap<>(Map.of(
                ":s", Items.s(status.name()), ":r", Items.n(status.rank()), ":now", Items.s(now)));
        StringBuilder update = new StringBuilder("SET #s = :s, #r = :r, #at = :now, updatedAt = :now");
        extra.forEach((name, value) -> {
            String placeholder = "x" + names.size();
            names.put("#" + placeholder, name);
            values.put(":" + placeholder, value);
            update.append(", #").append(placeholder).append(" = :").append(placeholder);
        });
        if (eventKey != null) {
            values.put(":ek", Items.s(eventKey));
            update.append(", statusEventKey = :ek");
        }
        String condition = eventKey == null ? "#r < :r" : "(#r < :r OR statusEventKey = :ek)";
        try {
            dynamo.updateItem(b -> b.tableName(table).key(key(messageId))
                    .updateExpression(update.toString())
                    .conditionExpression("attribute_exists(messageId) AND " + condition)
                    .expressionAttributeNames(names)
                    .expressionAttributeValues(values));
            return true;
        } catch (ConditionalCheckFailedException stale) {
            return false;
        }
    }

    /** The attribute holding the time a row reached {@code status}, e.g. {@code deliveredAt}. */
    public static String timestampOf(MessageStatus status) {
        String[] words = status.name().toLowerCase(Locale.ROOT).split("_");
        StringBuilder name = new StringBuilder(words[0]);
        for (int i = 1; i < words.length; i++) {
            name.append(Character.toUpperCase(words[i].charAt(0))).append(words[i].substring(1));
        }
        return name.append("At").toString();
    }

    static Map<String, AttributeValue> key(String messageId) {
        return Map.of("messageId", Items.s(messageId));
    }

    static Entry toEntry(Map<String, AttributeValue> item) {
        return new Entry(Items.string(item, "messageId"), Items.string(item, "campaignId"),
                Items.string(item, "recipient"), MessageStatus.valueOf(Items.string(item, "status")),
                Items.string(item, "sesMessageId"), Items.number(item, "attempts"), Items.string(item, "lastError"),
                Items.string(item, "segment"), Items.string(item, "createdAt"));
    }

    /**
     * Creates a QUEUED row for a message that has none yet (transactional sends); false if the id
     * exists already (an idempotent repeat).
     */
    public boolean queue(String messageId, String recipient, Map<String, AttributeValue> extra) {
        String now = clock.instant().toString();
        Map<String, AttributeValue> item = new HashMap<>(extra);
        item.put("messageId", Items.s(messageId));
        item.put("recipient", Items.s(recipient));
        item.put("status", Items.s(MessageStatus.QUEUED.name()));
        item.put("statusRank", Items.n(MessageStatus.QUEUED.rank()));
        item.put("attempts", Items.n(0));
        item.put("createdAt", Items.s(now));
        item.put("queuedAt", Items.s(now));
        item.put("updatedAt", Items.s(now));
        item.put("ttl", expiry());
        try {
            dynamo.putItem(b -> b.tableName(table).item(item).conditionExpression("attribute_not_exists(messageId)"));
            return true;
        } catch (ConditionalCheckFailedException exists) {
            return false;
        }
    }

    /** The rows SES knows under {@code sesMessageId} (several when one mail had several recipients). */
    public List<Entry> findBySesMessageId(String sesMessageId) {
        return dynamo.queryPaginator(b -> b.tableName(table).indexName(Tables.MESSAGES_BY_SES_ID)
                        .keyConditionExpression("sesMessageId = :id")
                        .expressionAttributeValues(Map.of(":id", Items.s(sesMessageId))))
                .items().stream().map(Ledger::toEntry).toList();
    }

    /**
     * Counts one more of {@code counter} (e.g. {@code opens}) on an existing row and keeps the time of
     * the first one in {@code firstAttribute}; returns the row's standing before the count, empty when the row
     * is missing.
     */
    public Optional<Standing> count(String messageId, String counter, String firstAttribute) {
        try {
            Map<String, AttributeValue> before = dynamo.updateItem(b -> b.tableName(table).key(key(messageId))
                    .updateExpression("ADD #c :one SET #first = if_not_exists(#first, :now)")
                    .conditionExpression("attribute_exists(messageId)")
                    .expressionAttributeNames(Map.of("#c", counter, "#first", firstAttribute))
                    .expressionAttributeValues(Map.of(":one", Items.n(1), ":now", Items.s(clock.instant().toString())))
                    .returnValues(ReturnValue.ALL_OLD)).attributes();
            AttributeValue rank = before.get("statusRank");
            AttributeValue eventKey = before.get("statusEventKey");
            return Optional.of(new Standing(rank == null ? Integer.MAX_VALUE : Integer.parseInt(rank.n()),
                    eventKey == null ? null : eventKey.s()));
        } catch (ConditionalCheckFailedException missing) {
            return Optional.empty();
        }
    }

    /** A row's status rank and the event that set its status, as {@link #advance}'s condition judges them. */
    public record Standing(int rank, String statusEventKey) {

        /** Whether {@link #advance} would move the row to {@code status} for the event {@code eventKey}. */
        public boolean admits(MessageStatus status, String eventKey) {
            return rank < status.rank() || eventKey.equals(statusEventKey);
        }
    }

    /**
     * What the send flow needs to send this row's message again: the contract attributes {@code template},
     * {@code from}, {@code subject}, {@code segment} and {@code variables} (a JSON object string) that the
     * send flow writes on the row when it claims it. Empty when the row or its send inputs are missing.
     */
    public Optional<Resend> resendOf(String messageId) {
        Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(table)
                .key(key(messageId)).consistentRead(true)).item();
        if (item == null || item.isEmpty() || (Items.string(item, "template") == null && !item.containsKey("variables"))) {
            return Optional.empty();
        }
        return Optional.of(new Resend(messageId, Items.string(item, "campaignId"), Items.string(item, "recipient"),
                Items.string(item, "template"), Items.string(item, "from"), Items.string(item, "chunkFrom"),
                Items.string(item, "replyTo"), Items.string(item, "subject"), Items.string(item, "segment"),
                Items.string(item, "variables")));
    }

    /**
     * A row's send inputs, see {@link #resendOf}; {@code variablesJson} may be null.
     *
     * @param from      the recipient's own sender override, or null
     * @param chunkFrom the campaign's (or transactional request's) sender, or null
     */
    public record Resend(String messageId, String campaignId, String recipient, String template, String from,
                         String chunkFrom, String replyTo, String subject, String segment, String variablesJson) {}

    /**
     * Marks the row's one soft-bounce retry as taken; false when it was taken before, or the row is not
     * SOFT_BOUNCED (a transient bounce after a Delivery, such as an out-of-office answer, needs no resend).
     */
    public boolean takeRetry(String messageId, String reason) {
        try {
            dynamo.updateItem(b -> b.tableName(table).key(key(messageId))
                    .updateExpression("SET retriedAt = :now, retryReason = :why")
                    .conditionExpression("#s = :soft AND attribute_not_exists(retriedAt)")
                    .expressionAttributeNames(Map.of("#s", "status"))
                    .expressionAttributeValues(Map.of(":now", Items.s(clock.instant().toString()), ":why", Items.s(reason),
                            ":soft", Items.s(MessageStatus.SOFT_BOUNCED.name()))));
            return true;
        } catch (ConditionalCheckFailedException taken) {
            return false;
        }
    }

    /** How many of the campaign's rows are in one of {@code statuses} (campaignId-status index, count only). */
    public long countInStatus(String campaignId, Collection<MessageStatus> statuses) {
        long total = 0;
        for (MessageStatus status : statuses) {
            total += dynamo.queryPaginator(b -> b.tableName(table).indexName(Tables.MESSAGES_BY_CAMPAIGN)
                            .keyConditionExpression("campaignId = :c AND #s = :s")
                            .expressionAttributeNames(Map.of("#s", "status"))
                            .expressionAttributeValues(Map.of(":c", Items.s(campaignId), ":s", Items.s(status.name())))
                            .select(Select.COUNT))
                    .stream().mapToLong(page -> page.count()).sum();
        }
        return total;
    }

    /** What {@link #claim} found. */
    public enum Claim {
        /** The row is now SENDING and belongs to the caller: send. */
        CLAIMED,
        /** The row is SENT or further on (or SUPPRESSED, FAILED): nothing to send. */
        DONE,
        /** The row was already SENDING: an earlier attempt died between claim and SES's answer. */
        AMBIGUOUS
    }

    /** A claim's outcome, and the status the row had before a successful claim (null when it is new). */
    public record Claimed(Claim claim, MessageStatus previous) {}

    /**
     * Claims a recipient's row for sending in one conditional write: creates it, or moves it from
     * QUEUED or one of {@code reclaimable}, straight into SENDING (DESIGN §3 names a QUEUED step first;
     * going straight to SENDING saves a write per email and is equivalent, since nothing else claims
     * QUEUED rows). {@code reclaimable} holds SENDING under {@code on-ambiguous=resend}, FAILED for a
     * campaign resend, SOFT_BOUNCED for a soft-bounce retry. The row keeps the send inputs (template,
     * the recipient's and the chunk's sender, reply-to, subject, variables as a JSON object string) so
     * feedback can send the same mail again; attributes another flow wrote on the row (metadata) are kept.
     */
    public Claimed claim(SendChunk chunk, SendChunk.Recipient recipient, String variablesJson,
                         Collection<MessageStatus> reclaimable) {
        String campaignId = chunk.campaignId();
        Map<String, String> names = new HashMap<>(Map.of("#s", "status", "#r", "statusRank", "#ttl", "ttl"));
        Map<String, AttributeValue> values = new HashMap<>(Map.of(
                ":sending", Items.s(MessageStatus.SENDING.name()), ":rank", Items.n(MessageStatus.SENDING.rank()),
                ":queued", Items.s(MessageStatus.QUEUED.name()), ":e", Items.s(recipient.email()),
                ":now", Items.s(clock.instant().toString()), ":one", Items.n(1), ":ttl", expiry()));
        StringBuilder update = new StringBuilder("SET #s = :sending, #r = :rank, recipient = :e, sendingAt = :now, "
                + "updatedAt = :now, createdAt = if_not_exists(createdAt, :now), #ttl = :ttl");
        setIfPresent(update, names, values, "campaignId", campaignId);
        setIfPresent(update, names, values, "segment", recipient.segment());
        setIfPresent(update, names, values, "template", recipient.template());
        setIfPresent(update, names, values, "from", recipient.from());
        setIfPresent(update, names, values, "chunkFrom", chunk.from());
        setIfPresent(update, names, values, "replyTo", chunk.replyTo());
        setIfPresent(update, names, values, "subject", recipient.subject());
        setIfPresent(update, names, values, "variables", variablesJson);
        update.append(" ADD attempts :one");
        StringBuilder allowed = new StringBuilder(":queued");
        int i = 0;
        for (MessageStatus status : reclaimable) {
            values.put(":re" + i, Items.s(status.name()));
            allowed.append(", :re").append(i++);
        }
        String condition = "attribute_not_exists(messageId) OR #s IN (" + allowed + ")";
        try {
            Map<String, AttributeValue> old = dynamo.updateItem(b -> b.tableName(table).key(key(recipient.messageId()))
                    .updateExpression(update.toString())
                    .conditionExpression(condition)
                    .expressionAttributeNames(names)
                    .expressionAttributeValues(values)
                    .returnValues(ReturnValue.UPDATED_OLD)
                    .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD)).attributes();
            String previous = old == null ? null : Items.string(old, "status");
            return new Claimed(Claim.CLAIMED, previous == null ? null : MessageStatus.valueOf(previous));
        } catch (ConditionalCheckFailedException taken) {
            Map<String, AttributeValue> old = taken.hasItem() ? taken.item() : null;
            String status = old != null ? Items.string(old, "status")
                    : find(recipient.messageId()).map(entry -> entry.status().name()).orElse(null);
            return new Claimed(MessageStatus.SENDING.name().equals(status) ? Claim.AMBIGUOUS : Claim.DONE, null);
        }
    }

    /**
     * The ids among {@code messageIds} that {@link #claim} would refuse: rows past QUEUED and not in
     * {@code reclaimable}. One BatchGetItem per 100 ids, so a chunk that may hold rows already handled
     * (a redelivery, a resend) skips them before they wait for an SES slot.
     */
    public Set<String> unclaimable(List<String> messageIds, Collection<MessageStatus> reclaimable) {
        Set<String> unclaimable = new HashSet<>();
        for (Map<String, AttributeValue> row : Items.batchGet(dynamo, table, "messageId", messageIds,
                "messageId, #s", Map.of("#s", "status"))) {
            MessageStatus status = MessageStatus.valueOf(Items.string(row, "status"));
            if (status != MessageStatus.QUEUED && !reclaimable.contains(status)) {
                unclaimable.add(Items.string(row, "messageId"));
            }
        }
        return unclaimable;
    }

    /**
     * Records a recipient as SUPPRESSED (never sent), creating the row if needed; false when the row
     * already stands at that rank or higher.
     */
    public boolean recordSuppressed(String messageId, String campaignId, String recipient, String segment) {
        String now = clock.instant().toString();
        Map<String, String> names = new HashMap<>(Map.of("#s", "status", "#r", "statusRank", "#ttl", "ttl"));
        Map<String, AttributeValue> values = new HashMap<>(Map.of(
                ":s", Items.s(MessageStatus.SUPPRESSED.name()), ":r", Items.n(MessageStatus.SUPPRESSED.rank()),
                ":e", Items.s(recipient), ":now", Items.s(now), ":ttl", expiry()));
        StringBuilder update = new StringBuilder("SET #s = :s, #r = :r, recipient = :e, suppressedAt = :now, "
                + "updatedAt = :now, createdAt = if_not_exists(createdAt, :now), #ttl = :ttl");
        setIfPresent(update, names, values, "campaignId", campaignId);
        setIfPresent(update, names, values, "segment", segment);
        try {
            dynamo.updateItem(b -> b.tableName(table).key(key(messageId))
                    .updateExpression(update.toString())
                    .conditionExpression("attribute_not_exists(messageId) OR #r < :r")
                    .expressionAttributeNames(names)
                    .expressionAttributeValues(values));
            return true;
        } catch (ConditionalCheckFailedException alreadyFurther) {
            return false;
        }
    }

    /**
     * Gives a claimed row back (SENDING → QUEUED) when SES certainly did not take the mail, so a
     * later delivery of the chunk claims it again. The only move down in rank, and only from SENDING.
     */
    public boolean release(String messageId, String lastError) {
        try {
            dynamo.updateItem(b -> b.tableName(table).key(key(messageId))
                    .updateExpression("SET #s = :queued, #r = :rank, lastError = :err, updatedAt = :now")
                    .conditionExpression("#s = :sending")
                    .expressionAttributeNames(Map.of("#s", "status", "#r", "statusRank"))
                    .expressionAttributeValues(Map.of(
                            ":queued", Items.s(MessageStatus.QUEUED.name()), ":rank", Items.n(MessageStatus.QUEUED.rank()),
                            ":sending", Items.s(MessageStatus.SENDING.name()), ":err", Items.s(lastError),
                            ":now", Items.s(clock.instant().toString()))));
            return true;
        } catch (ConditionalCheckFailedException notOurs) {
            return false;
        }
    }

    /**
     * Stores the SES message id, and the send time ({@code sentAt}) the skipped SENT step would have stamped, on a
     * row whose status feedback already advanced past SENT (SES's Delivery event can overtake the send flow's write).
     */
    public void recordSesMessageId(String messageId, String sesMessageId) {
        dynamo.updateItem(b -> b.tableName(table).key(key(messageId))
                .updateExpression("SET sesMessageId = if_not_exists(sesMessageId, :id), #sentAt = if_not_exists(#sentAt, :now)")
                .conditionExpression("attribute_exists(messageId)")
                .expressionAttributeNames(Map.of("#sentAt", timestampOf(MessageStatus.SENT)))
                .expressionAttributeValues(Map.of(":id", Items.s(sesMessageId), ":now", Items.s(clock.instant().toString()))));
    }

    /** Appends {@code attribute = value} to a SET clause when there is a value (optional attributes of a row). */
    private static void setIfPresent(StringBuilder update, Map<String, String> names,
                                     Map<String, AttributeValue> values, String attribute, String value) {
        if (value != null) {
            names.put("#" + attribute, attribute);
            values.put(":" + attribute, Items.s(value));
            update.append(", #").append(attribute).append(" = :").append(attribute);
        }
    }
}
