package routes.store;

import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.springframework.stereotype.Component;
import routes.aws.AwsProperties;
import routes.aws.Tables;
import routes.model.CampaignStatus;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;

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
        int i = 0;
        for (CampaignStatus status : from) {
            values.put(":f" + i++, Items.s(status.name()));
        }
        String allowed = values.keySet().stream().filter(k -> k.startsWith(":f")).sorted().collect(Collectors.joining(", "));
        try {
            dynamo.updateItem(b -> b.tableName(table).key(key(campaignId))
                    .updateExpression("SET #s = :to, updatedAt = :now")
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
