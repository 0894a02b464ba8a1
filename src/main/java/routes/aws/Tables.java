package routes.aws;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.Projection;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/** The tables of DESIGN §3: names (before the prefix), keys, indexes and TTL attributes. */
public final class Tables {

    public static final String CAMPAIGNS = "campaigns";
    public static final String MESSAGES = "messages";
    public static final String EVENTS = "events";
    public static final String SUPPRESSIONS = "suppressions";

    public static final String CAMPAIGNS_BY_STATUS = "status-sendAt";
    public static final String MESSAGES_BY_CAMPAIGN = "campaignId-status";
    public static final String MESSAGES_BY_SES_ID = "sesMessageId";
    public static final String MESSAGES_BY_RECIPIENT = "recipient-createdAt";

    // The events table's hash key (messageId) names a partition. A message's id is its event history
    // (owner: EventLog; read by MessageQueries, re-keyed by LedgerErasure); every other partition is named
    // here with the one class that owns what goes in it.

    /** {@code softbounce#<address>}: the transient bounces of an address within the window. Owner: EventLog. */
    public static final String SOFT_BOUNCES = "softbounce#";
    /** The account's reputation counts, one item per day. Owner: EventLog (for AccountCounters). */
    public static final String ACCOUNT_REPUTATION = "account#reputation";
    /** The live send replicas and their heartbeats (rate shares). Owner: SendLog. */
    public static final String SEND_REPLICAS = "replicas";
    /** Mails sent per hour by all replicas (the 24-hour quota). Owner: SendLog. */
    public static final String SENT_PER_HOUR = "sent-per-hour";
    /** Mutating API calls. Owner: ApiAudit. */
    public static final String API_AUDIT = "audit:api";
    /** Dead letters discarded through the API. Owner: DeadLetterAdmin. */
    public static final String DEAD_LETTER_AUDIT = "audit:dead-letters";
    /** Suppressions removed, with who asked. Owner: SuppressionList. */
    public static final String SUPPRESSION_AUDIT = "audit:suppressions";

    private Tables() {
    }

    static List<CreateTableRequest> definitions(AwsProperties aws) {
        return List.of(
                table(aws.table(CAMPAIGNS), key("campaignId", null), "campaignId", "status", "sendAt")
                        .globalSecondaryIndexes(index(CAMPAIGNS_BY_STATUS, "status", "sendAt")).build(),
                table(aws.table(MESSAGES), key("messageId", null),
                        "messageId", "campaignId", "status", "sesMessageId", "recipient", "createdAt")
                        .globalSecondaryIndexes(
                                index(MESSAGES_BY_CAMPAIGN, "campaignId", "status"),
                                index(MESSAGES_BY_SES_ID, "sesMessageId", null),
                                index(MESSAGES_BY_RECIPIENT, "recipient", "createdAt")).build(),
                table(aws.table(EVENTS), key("messageId", "eventKey"), "messageId", "eventKey").build(),
                table(aws.table(SUPPRESSIONS), key("email", null), "email").build());
    }

    static Optional<String> ttlAttribute(String table, AwsProperties aws) {
        if (table.equals(aws.table(MESSAGES)) || table.equals(aws.table(EVENTS))) {
            return Optional.of("ttl");
        }
        return table.equals(aws.table(SUPPRESSIONS)) ? Optional.of("expiresAt") : Optional.empty();
    }

    private static CreateTableRequest.Builder table(String name, List<KeySchemaElement> key, String... attributes) {
        return CreateTableRequest.builder()
                .tableName(name)
                .billingMode(BillingMode.PAY_PER_REQUEST)
                .keySchema(key)
                .attributeDefinitions(Arrays.stream(attributes).map(Tables::string).toList());
    }

    private static List<KeySchemaElement> key(String hash, String range) {
        KeySchemaElement h = KeySchemaElement.builder().attributeName(hash).keyType(KeyType.HASH).build();
        return range == null ? List.of(h)
                : List.of(h, KeySchemaElement.builder().attributeName(range).keyType(KeyType.RANGE).build());
    }

    private static GlobalSecondaryIndex index(String name, String hash, String range) {
        return GlobalSecondaryIndex.builder().indexName(name).keySchema(key(hash, range))
                .projection(Projection.builder().projectionType(ProjectionType.ALL).build()).build();
    }

    private static AttributeDefinition string(String name) {
        return AttributeDefinition.builder().attributeName(name).attributeType(ScalarAttributeType.S).build();
    }
}
