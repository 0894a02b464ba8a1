package routes.store;

import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;
import routes.aws.AwsProperties;
import routes.aws.Tables;
import routes.model.AddressPseudonym;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** The ledger's part of a GDPR erasure: a recipient's rows and their event histories lose the address. */
@Component
public class LedgerErasure {

    private final DynamoDbClient dynamo;
    private final MessageQueries messages;
    private final String table;
    private final String events;
    private final Clock clock;

    public LedgerErasure(DynamoDbClient dynamo, MessageQueries messages, AwsProperties aws, Clock clock) {
        this.dynamo = dynamo;
        this.messages = messages;
        this.table = aws.table(Tables.MESSAGES);
        this.events = aws.table(Tables.EVENTS);
        this.clock = clock;
    }

    /**
     * GDPR erasure: every row of {@code email} gets {@code pseudonym} as recipient and loses its
     * metadata; its events are rewritten without the address (the event key holds it, so they are
     * re-keyed). Returns the rows anonymised, as they were before.
     */
    public List<Ledger.Entry> eraseRecipient(String email, String pseudonym) {
        String address = SuppressionList.normalise(email);
        AddressPseudonym anyCase = new AddressPseudonym(address, pseudonym);
        List<Ledger.Entry> erased = new ArrayList<>();
        String cursor = null;
        do {
            Page<Ledger.Entry> rows = messages.byRecipient(address, null, 100, cursor);
            for (Ledger.Entry row : rows.items()) {
                eraseRow(row.messageId(), anyCase);
                eraseEvents(row.messageId(), anyCase);
                erased.add(row);
            }
            cursor = rows.next();
        } while (cursor != null);
        return erased;
    }

    /** Every string attribute naming the address (recipient, statusEventKey, …) gets the pseudonym; metadata goes. */
    private void eraseRow(String messageId, AddressPseudonym address) {
        Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(table).key(Ledger.key(messageId)).consistentRead(true)).item();
        Map<String, String> names = new HashMap<>();
        Map<String, AttributeValue> values = new HashMap<>(Map.of(":now", Items.s(clock.instant().toString())));
        StringBuilder set = new StringBuilder("SET updatedAt = :now");
        pseudonymised(item, address).forEach((name, value) -> {
            int i = names.size();
            names.put("#a" + i, name);
            values.put(":a" + i, value);
            set.append(", #a").append(i).append(" = :a").append(i);
        });
        dynamo.updateItem(b -> b.tableName(table).key(Ledger.key(messageId))
                .updateExpression(set + " REMOVE metadata")
                .expressionAttributeNames(names.isEmpty() ? null : names)
                .expressionAttributeValues(values));
    }

    private void eraseEvents(String messageId, AddressPseudonym address) {
        for (Map<String, AttributeValue> item : messages.eventItems(messageId)) {
            Map<String, AttributeValue> changed = pseudonymised(item, address);
            if (!changed.isEmpty()) {
                Map<String, AttributeValue> clean = new HashMap<>(item);
                clean.putAll(changed);
                dynamo.deleteItem(b -> b.tableName(events).key(Map.of("messageId", item.get("messageId"), "eventKey", item.get("eventKey"))));
                dynamo.putItem(b -> b.tableName(events).item(clean));
            }
        }
    }

    /** The string attributes of {@code item} that contain the address, with the pseudonym in its place. */
    private static Map<String, AttributeValue> pseudonymised(Map<String, AttributeValue> item, AddressPseudonym address) {
        Map<String, AttributeValue> changed = new HashMap<>();
        item.forEach((name, value) -> {
            if (value.s() != null) {
                address.erase(value.s()).ifPresent(erased -> changed.put(name, Items.s(erased)));
            }
        });
        return changed;
    }

}
