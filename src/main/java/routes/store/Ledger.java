package routes.store;

import java.time.Clock;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
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
import software.amazon.awssdk.services.dynamodb.model.Select;

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

    /** The rows SES knows under {@code sesMessageId} (several when one mail had several recipients). */
    public List<Entry> findBySesMessageId(String sesMessageId) {
        return dynamo.queryPaginator(b -> b.tableName(table).indexName(Tables.MESSAGES_BY_SES_ID)
                        .keyConditionExpression("sesMessageId = :id")
                        .expressionAttributeValues(Map.of(":id", Items.s(sesMessageId))))
                .items().stream().map(Ledger::toEntry).toList();
    }

    /**
     * Counts one more of {@code counter} (e.g. {@code opens}) on an existing row and keeps the time of
     * the first one in {@code firstAttribute}; false when the row is missing.
     */
    public boolean count(String messageId, String counter, String firstAttribute) {
        try {
            dynamo.updateItem(b -> b.tableName(table).key(key(messageId))
                    .updateExpression("ADD #c :one SET #first = if_not_exists(#first, :now)")
                    .conditionExpression("attribute_exists(messageId)")
                    .expressionAttributeNames(Map.of("#c", counter, "#first", firstAttribute))
                    .expressionAttributeValues(Map.of(":one", Items.n(1), ":now", Items.s(clock.instant().toString()))));
            return true;
        } catch (ConditionalCheckFailedException missing) {
            return false;
        }
    }

    /**
     * What the send flow needs to send this row's message again: the contract attributes {@code template},
     * {@code from}, {@code subject}, {@code segment} and {@code variables} (a JSON object string) that the
     * send flow writes on the row (docs/feedback.md). Empty when the row or its template is missing.
     */
    public Optional<Resend> resendOf(String messageId) {
        Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(table)
                .key(key(messageId)).consistentRead(true)).item();
        if (item == null || item.isEmpty() || Items.string(item, "template") == null) {
            return Optional.empty();
        }
        return Optional.of(new Resend(messageId, Items.string(item, "campaignId"), Items.string(item, "recipient"),
                Items.string(item, "template"), Items.string(item, "from"), Items.string(item, "subject"),
                Items.string(item, "segment"), Items.string(item, "variables")));
    }

    /** A row's send inputs, see {@link #resendOf}; {@code variablesJson} may be null. */
    public record Resend(String messageId, String campaignId, String recipient, String template, String from,
                         String subject, String segment, String variablesJson) {}

    /** Marks the row's one soft-bounce retry as taken; false when it was taken before (or the row is missing). */
    public boolean takeRetry(String messageId, String reason) {
        try {
            dynamo.updateItem(b -> b.tableName(table).key(key(messageId))
                    .updateExpression("SET retriedAt = :now, retryReason = :why")
                    .conditionExpression("attribute_exists(messageId) AND attribute_not_exists(retriedAt)")
                    .expressionAttributeValues(Map.of(":now", Items.s(clock.instant().toString()), ":why", Items.s(reason))));
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
}
