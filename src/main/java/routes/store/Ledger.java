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
}
