package routes.store;

import java.time.Clock;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.springframework.stereotype.Component;
import routes.aws.AwsProperties;
import routes.aws.Tables;
import routes.model.MessageStatus;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;

/**
 * The per-recipient ledger (messages table): one row per recipient send, whose status only ever
 * moves up in rank (DESIGN §3).
 */
@Component
public class Ledger {

    /** One ledger row as the flows read it. */
    public record Entry(String messageId, String campaignId, String recipient, MessageStatus status,
                        String sesMessageId, long attempts, String lastError, String segment, String createdAt) {}

    private final DynamoDbClient dynamo;
    private final String table;
    private final Clock clock;

    public Ledger(DynamoDbClient dynamo, AwsProperties aws, Clock clock) {
        this.dynamo = dynamo;
        this.table = aws.table(Tables.MESSAGES);
        this.clock = clock;
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
        try {
            dynamo.updateItem(b -> b.tableName(table).key(key(messageId))
                    .updateExpression(update.toString())
                    .conditionExpression("attribute_exists(messageId) AND #r < :r")
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

    /** What {@link #claim} found. */
    public enum Claim {
        /** The row is now SENDING and belongs to the caller: send. */
        CLAIMED,
        /** The row is SENT or further on (or SUPPRESSED, FAILED): nothing to send. */
        DONE,
        /** The row was already SENDING: an earlier attempt died between claim and SES's answer. */
        AMBIGUOUS
    }

    /**
     * Claims a recipient's row for sending in one conditional write: creates it, or moves it from
     * QUEUED, straight into SENDING (DESIGN §3 names a QUEUED step first; going straight to SENDING
     * saves a write per email and is equivalent, since nothing else claims QUEUED rows). With
     * {@code resendAmbiguous} a row found SENDING is claimed again (policy {@code on-ambiguous=resend}).
     * Attributes another flow wrote on the row (metadata, ttl) are kept.
     */
    public Claim claim(String messageId, String campaignId, String recipient, String segment, boolean resendAmbiguous) {
        Map<String, String> names = new HashMap<>(Map.of("#s", "status", "#r", "statusRank"));
        Map<String, AttributeValue> values = new HashMap<>(Map.of(
                ":sending", Items.s(MessageStatus.SENDING.name()), ":rank", Items.n(MessageStatus.SENDING.rank()),
                ":queued", Items.s(MessageStatus.QUEUED.name()), ":e", Items.s(recipient),
                ":now", Items.s(clock.instant().toString()), ":one", Items.n(1)));
        StringBuilder update = new StringBuilder("SET #s = :sending, #r = :rank, recipient = :e, sendingAt = :now, "
                + "updatedAt = :now, createdAt = if_not_exists(createdAt, :now)");
        if (campaignId != null) {
            values.put(":c", Items.s(campaignId));
            update.append(", campaignId = :c");
        }
        if (segment != null) {
            names.put("#seg", "segment");
            values.put(":seg", Items.s(segment));
            update.append(", #seg = :seg");
        }
        update.append(" ADD attempts :one");
        String condition = "attribute_not_exists(messageId) OR #s = :queued" + (resendAmbiguous ? " OR #s = :sending" : "");
        try {
            dynamo.updateItem(b -> b.tableName(table).key(key(messageId))
                    .updateExpression(update.toString())
                    .conditionExpression(condition)
                    .expressionAttributeNames(names)
                    .expressionAttributeValues(values)
                    .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD));
            return Claim.CLAIMED;
        } catch (ConditionalCheckFailedException taken) {
            Map<String, AttributeValue> old = taken.hasItem() ? taken.item() : null;
            String status = old != null ? Items.string(old, "status")
                    : find(messageId).map(entry -> entry.status().name()).orElse(null);
            return MessageStatus.SENDING.name().equals(status) ? Claim.AMBIGUOUS : Claim.DONE;
        }
    }

    /**
     * Records a recipient as SUPPRESSED (never sent), creating the row if needed; false when the row
     * already stands at that rank or higher.
     */
    public boolean recordSuppressed(String messageId, String campaignId, String recipient, String segment) {
        String now = clock.instant().toString();
        Map<String, String> names = new HashMap<>(Map.of("#s", "status", "#r", "statusRank"));
        Map<String, AttributeValue> values = new HashMap<>(Map.of(
                ":s", Items.s(MessageStatus.SUPPRESSED.name()), ":r", Items.n(MessageStatus.SUPPRESSED.rank()),
                ":e", Items.s(recipient), ":now", Items.s(now)));
        StringBuilder update = new StringBuilder("SET #s = :s, #r = :r, recipient = :e, suppressedAt = :now, "
                + "updatedAt = :now, createdAt = if_not_exists(createdAt, :now)");
        if (campaignId != null) {
            values.put(":c", Items.s(campaignId));
            update.append(", campaignId = :c");
        }
        if (segment != null) {
            names.put("#seg", "segment");
            values.put(":seg", Items.s(segment));
            update.append(", #seg = :seg");
        }
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
}
