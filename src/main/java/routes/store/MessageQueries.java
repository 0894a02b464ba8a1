package routes.store;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.springframework.stereotype.Component;
import routes.aws.AwsProperties;
import routes.aws.Tables;
import routes.model.MessageStatus;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

/**
 * The ledger as the API reads it: one message with its details and event history, and pages of a
 * campaign's or a recipient's messages. Reads only; the flows write through {@link Ledger}.
 */
@Component
public class MessageQueries {

    /** A ledger row with what the API shows besides the entry: the subject and the caller's metadata. */
    public record Details(Ledger.Entry entry, String subject, Map<String, String> metadata, String updatedAt, String requestHash) {}

    /** One entry of a message's event log (events table); {@code attributes} holds every other string attribute. */
    public record Event(String type, String occurredAt, Map<String, String> attributes) {}

    private final DynamoDbClient dynamo;
    private final String table;
    private final String events;

    public MessageQueries(DynamoDbClient dynamo, AwsProperties aws) {
        this.dynamo = dynamo;
        this.table = aws.table(Tables.MESSAGES);
        this.events = aws.table(Tables.EVENTS);
    }

    public Optional<Details> details(String messageId) {
        Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(table).key(Ledger.key(messageId)).consistentRead(true)).item();
        if (item == null || item.isEmpty()) {
            return Optional.empty();
        }
        Map<String, String> metadata = new TreeMap<>();
        AttributeValue stored = item.get("metadata");
        if (stored != null && stored.hasM()) {
            stored.m().forEach((name, value) -> metadata.put(name, value.s()));
        }
        return Optional.of(new Details(Ledger.toEntry(item), Items.string(item, "subject"), metadata,
                Items.string(item, "updatedAt"), Items.string(item, "requestHash")));
    }

    /** The rows of {@code messageIds} that exist, in one BatchGetItem per 100 ids. */
    public List<Ledger.Entry> entries(List<String> messageIds) {
        return Items.batchGet(dynamo, table, "messageId", messageIds.stream().distinct().toList(), null, Map.of()).stream().map(Ledger::toEntry).toList();
    }

    /** A campaign's rows, optionally of one status (index {@code campaignId-status}). */
    public Page<Ledger.Entry> byCampaign(String campaignId, MessageStatus status, int limit, String cursor) {
        QueryRequest.Builder query = QueryRequest.builder().tableName(table).indexName(Tables.MESSAGES_BY_CAMPAIGN)
                .limit(limit).exclusiveStartKey(Items.startKey(cursor));
        if (status == null) {
            query.keyConditionExpression("campaignId = :c").expressionAttributeValues(Map.of(":c", Items.s(campaignId)));
        } else {
            query.keyConditionExpression("campaignId = :c AND #s = :s").expressionAttributeNames(Map.of("#s", "status"))
                    .expressionAttributeValues(Map.of(":c", Items.s(campaignId), ":s", Items.s(status.name())));
        }
        return page(dynamo.query(query.build()));
    }

    /** A recipient's rows, newest first (index {@code recipient-createdAt}), optionally of one status. */
    public Page<Ledger.Entry> byRecipient(String recipient, MessageStatus status, int limit, String cursor) {
        QueryRequest.Builder query = QueryRequest.builder().tableName(table).indexName(Tables.MESSAGES_BY_RECIPIENT)
                .limit(limit).exclusiveStartKey(Items.startKey(cursor)).scanIndexForward(false)
                .keyConditionExpression("recipient = :r");
        if (status == null) {
            query.expressionAttributeValues(Map.of(":r", Items.s(SuppressionList.normalise(recipient))));
        } else {
            query.filterExpression("#s = :s").expressionAttributeNames(Map.of("#s", "status"))
                    .expressionAttributeValues(Map.of(":r", Items.s(SuppressionList.normalise(recipient)), ":s", Items.s(status.name())));
        }
        return page(dynamo.query(query.build()));
    }

    /**
     * For each of the campaign's rows, the values of the {@code stamps} it has (e.g. {@code sentAt}, {@code firstOpenAt}):
     * one query over index {@code campaignId-status}, reading only those attributes, page by page as consumed.
     */
    public Stream<Map<String, String>> stampsOf(String campaignId, List<String> stamps) {
        Map<String, String> names = new HashMap<>();
        for (int i = 0; i < stamps.size(); i++) {
            names.put("#t" + i, stamps.get(i));
        }
        return dynamo.queryPaginator(b -> b.tableName(table).indexName(Tables.MESSAGES_BY_CAMPAIGN)
                        .keyConditionExpression("campaignId = :c")
                        .expressionAttributeValues(Map.of(":c", Items.s(campaignId)))
                        .projectionExpression(String.join(", ", names.keySet()))
                        .expressionAttributeNames(names))
                .items().stream()
                .map(item -> {
                    Map<String, String> found = new HashMap<>();
                    item.forEach((name, value) -> {
                        if (value.s() != null) {
                            found.put(name, value.s());
                        }
                    });
                    return found;
                });
    }

    /** The message's event log, oldest first ({@code eventKey} = {@code <timestamp>#<type>#<recipient>}). */
    public List<Event> history(String messageId) {
        List<Event> history = new ArrayList<>();
        for (Map<String, AttributeValue> item : eventItems(messageId)) {
            String[] key = Items.string(item, "eventKey").split("#", 3);
            Map<String, String> attributes = new TreeMap<>();
            item.forEach((name, value) -> {
                if (value.s() != null && !List.of("messageId", "eventKey", "recipient").contains(name)) {
                    attributes.put(name, value.s());
                }
            });
            history.add(new Event(key.length > 1 ? key[1] : null, key[0], attributes));
        }
        return history;
    }

    /** Every item of the message's partition of the events table. */
    List<Map<String, AttributeValue>> eventItems(String messageId) {
        List<Map<String, AttributeValue>> items = new ArrayList<>();
        Map<String, AttributeValue> start = null;
        do {
            Map<String, AttributeValue> from = start;
            QueryResponse page = dynamo.query(b -> b.tableName(events).keyConditionExpression("messageId = :m")
                    .expressionAttributeValues(Map.of(":m", Items.s(messageId))).exclusiveStartKey(from));
            items.addAll(page.items());
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (start != null);
        return items;
    }

    private static Page<Ledger.Entry> page(QueryResponse response) {
        return new Page<>(response.items().stream().map(Ledger::toEntry).toList(), Items.cursor(response.lastEvaluatedKey()));
    }

}
