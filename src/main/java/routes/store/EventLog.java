package routes.store;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.springframework.stereotype.Component;
import routes.aws.AwsProperties;
import routes.aws.Tables;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.Select;

/**
 * The immutable event log (events table, {@code messageId} + {@code eventKey}, DESIGN §3). The conditional
 * put decides whether an event is new, which makes event processing idempotent across replicas.
 * Soft bounces per address are logged here too, under the key {@code softbounce#<address>}, so the
 * 30-day count is one Query. The account's daily send, bounce and complaint counts live here too, under
 * {@code account#reputation}, so the account reputation guard's window is one Query.
 */
@Component
public class EventLog {

    private static final String SOFT_BOUNCE_KEY = Tables.SOFT_BOUNCES;
    private static final String ACCOUNT_KEY = Tables.ACCOUNT_REPUTATION;

    private final DynamoDbClient dynamo;
    private final String table;
    private final Clock clock;
    private final Duration retention;

    public EventLog(DynamoDbClient dynamo, AwsProperties aws, Clock clock) {
        this.dynamo = dynamo;
        this.table = aws.table(Tables.EVENTS);
        this.clock = clock;
        this.retention = aws.retention();
    }

    /** A row's DynamoDB TTL, {@code ttl} from now. */
    private AttributeValue expiry(Duration ttl) {
        return Items.n(clock.instant().plus(ttl).getEpochSecond());
    }

    /** Logs the event unless it is logged already; true when it is new. {@code attributes} are stored with it. */
    public boolean append(String messageId, String eventKey, Map<String, String> attributes) {
        return append(messageId, eventKey, attributes, null);
    }

    /**
     * As {@link #append(String, String, Map)}, remembering the delivery that logged it (attribute
     * {@code deliveryId}, e.g. the SQS message id): the same delivery may log it again and gets true, since a
     * delivery seen again was not finished (SQS deletes a message only after its processing completed). Any
     * other delivery of the event is a duplicate.
     */
    public boolean append(String messageId, String eventKey, Map<String, String> attributes, String deliveryId) {
        return put(messageId, eventKey, attributes, retention, deliveryId);
    }

    /** Events are kept {@code mailroutes.aws.retention} (90 days), like the messages rows; soft bounces their window. */
    private boolean put(String messageId, String eventKey, Map<String, String> attributes, Duration ttl, String deliveryId) {
        Map<String, AttributeValue> item = new HashMap<>();
        attributes.forEach((name, value) -> {
            if (value != null) {
                item.put(name, Items.s(value));
            }
        });
        item.put("messageId", Items.s(messageId));
        item.put("eventKey", Items.s(eventKey));
        item.put("loggedAt", Items.s(clock.instant().toString()));
        item.put("ttl", expiry(ttl));
        String condition = "attribute_not_exists(eventKey)";
        Map<String, AttributeValue> values = null;
        if (deliveryId != null) {
            item.put("deliveryId", Items.s(deliveryId));
            condition += " OR deliveryId = :d";
            values = Map.of(":d", Items.s(deliveryId));
        }
        String unlessLogged = condition;
        Map<String, AttributeValue> delivery = values;
        try {
            dynamo.putItem(b -> b.tableName(table).item(item).conditionExpression(unlessLogged)
                    .expressionAttributeValues(delivery));
            return true;
        } catch (ConditionalCheckFailedException seen) {
            return false;
        }
    }

    /**
     * One page of a partition's rows, newest first (event keys start with the time), each row as its string
     * attributes: the audit trails kept here are read this way.
     */
    public Page<Map<String, String>> newestFirst(String partition, int limit, String cursor) {
        QueryResponse page = dynamo.query(b -> b.tableName(table).keyConditionExpression("messageId = :p")
                .expressionAttributeValues(Map.of(":p", Items.s(partition))).scanIndexForward(false).limit(limit)
                .exclusiveStartKey(Items.startKey(cursor)));
        List<Map<String, String>> rows = page.items().stream().map(item -> {
            Map<String, String> row = new TreeMap<>();
            item.forEach((name, value) -> {
                if (value.s() != null && !name.equals("messageId")) {
                    row.put(name, value.s());
                }
            });
            return row;
        }).toList();
        return new Page<>(rows, Items.cursor(page.lastEvaluatedKey()));
    }

    public boolean contains(String messageId, String eventKey) {
        Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(table).key(key(messageId, eventKey))
                .consistentRead(true)).item();
        return item != null && !item.isEmpty();
    }

    /** Forgets an event whose processing failed, so that the redelivery is processed again. */
    public void remove(String messageId, String eventKey) {
        dynamo.deleteItem(b -> b.tableName(table).key(key(messageId, eventKey)));
    }

    /**
     * Logs a soft bounce of {@code email} (lower-cased by the caller) and returns how many are logged since
     * {@code window} ago, this one included.
     */
    public long softBounce(String email, Instant at, String sourceMessageId, Duration window) {
        String address = SOFT_BOUNCE_KEY + email;
        put(address, at + "#" + sourceMessageId, Map.of("sourceMessageId", sourceMessageId), window, null);
        String since = clock.instant().minus(window).toString();
        return dynamo.queryPaginator(b -> b.tableName(table).consistentRead(true)
                        .keyConditionExpression("messageId = :k AND eventKey >= :since")
                        .expressionAttributeValues(Map.of(":k", Items.s(address), ":since", Items.s(since)))
                        .select(Select.COUNT))
                .stream().mapToLong(page -> page.count()).sum();
    }

    /**
     * Adds to the account's counts of {@code day} (one item per day under {@value #ACCOUNT_KEY}, attributes named
     * as the deltas' keys, kept as long as events) and returns each count summed over the days from {@code since} on.
     */
    public Map<String, Long> addAccountCounts(LocalDate day, Map<String, Long> deltas, LocalDate since) {
        Map<String, String> names = new HashMap<>();
        Map<String, AttributeValue> values = new HashMap<>(Map.of(":ttl", expiry(retention)));
        StringBuilder add = new StringBuilder("SET #ttl = :ttl ADD ");
        names.put("#ttl", "ttl");
        deltas.forEach((name, delta) -> {
            int i = values.size();
            names.put("#c" + i, name);
            values.put(":c" + i, Items.n(delta));
            add.append(i == 1 ? "" : ", ").append("#c").append(i).append(" :c").append(i);
        });
        dynamo.updateItem(b -> b.tableName(table).key(key(ACCOUNT_KEY, day.toString()))
                .updateExpression(add.toString()).expressionAttributeNames(names).expressionAttributeValues(values));
        Map<String, Long> sums = new HashMap<>();
        dynamo.queryPaginator(b -> b.tableName(table).consistentRead(true)
                        .keyConditionExpression("messageId = :k AND eventKey >= :since")
                        .expressionAttributeValues(Map.of(":k", Items.s(ACCOUNT_KEY), ":since", Items.s(since.toString()))))
                .items().forEach(item -> deltas.keySet().forEach(name -> sums.merge(name, Items.number(item, name), Long::sum)));
        return sums;
    }

    /** Marks {@code day}'s account figures as alerted; true only for the first caller of the day, on any replica. */
    public boolean markAccountAlerted(LocalDate day) {
        try {
            dynamo.updateItem(b -> b.tableName(table).key(key(ACCOUNT_KEY, day.toString()))
                    .updateExpression("SET alertedAt = :now")
                    .conditionExpression("attribute_not_exists(alertedAt)")
                    .expressionAttributeValues(Map.of(":now", Items.s(clock.instant().toString()))));
            return true;
        } catch (ConditionalCheckFailedException alerted) {
            return false;
        }
    }

    private static Map<String, AttributeValue> key(String messageId, String eventKey) {
        return Map.of("messageId", Items.s(messageId), "eventKey", Items.s(eventKey));
    }
}
