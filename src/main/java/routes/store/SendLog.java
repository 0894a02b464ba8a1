package routes.store;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import org.springframework.stereotype.Component;
import routes.aws.AwsProperties;
import routes.aws.Tables;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

/**
 * What the send flow shares across replicas, in two partitions of the events table: {@code replicas}
 * (one heartbeat item per running replica, so the cluster rate is split by the live ones) and
 * {@code sent-per-hour} (mails accepted by SES per hour, cluster-wide, so the 24-hour budget survives
 * restarts). Both expire by the table's TTL.
 */
@Component
public class SendLog {

    private static final String REPLICAS = Tables.SEND_REPLICAS;
    private static final String SENT_PER_HOUR = Tables.SENT_PER_HOUR;

    private final DynamoDbClient dynamo;
    private final String table;
    private final Clock clock;

    public SendLog(DynamoDbClient dynamo, AwsProperties aws, Clock clock) {
        this.dynamo = dynamo;
        this.table = aws.table(Tables.EVENTS);
        this.clock = clock;
    }

    /** This replica is alive now. */
    public void heartbeat(String replicaId) {
        Instant now = clock.instant();
        dynamo.putItem(b -> b.tableName(table).item(Map.of(
                "messageId", Items.s(REPLICAS), "eventKey", Items.s(replicaId),
                "seenAt", Items.s(now.toString()), "ttl", Items.n(now.plus(Duration.ofDays(1)).getEpochSecond()))));
    }

    /** This replica stops: the others divide the rate without it from their next refresh. */
    public void forget(String replicaId) {
        dynamo.deleteItem(b -> b.tableName(table).key(Map.of("messageId", Items.s(REPLICAS), "eventKey", Items.s(replicaId))));
    }

    /** Replicas whose last heartbeat is younger than {@code within}; at least 1 (the asker). */
    public int liveReplicas(Duration within) {
        String since = clock.instant().minus(within).toString();
        QueryResponse live = dynamo.query(b -> b.tableName(table)
                .consistentRead(true)
                .keyConditionExpression("messageId = :p")
                .filterExpression("seenAt >= :since")
                .expressionAttributeValues(Map.of(":p", Items.s(REPLICAS), ":since", Items.s(since))));
        return Math.max(1, live.count());
    }

    /** Adds mails accepted by SES to the current hour's cluster-wide count. */
    public void addSent(long mails) {
        Instant hour = clock.instant().truncatedTo(ChronoUnit.HOURS);
        dynamo.updateItem(b -> b.tableName(table)
                .key(Map.of("messageId", Items.s(SENT_PER_HOUR), "eventKey", Items.s(hour.toString())))
                .updateExpression("ADD sent :n SET #ttl = :ttl")
                .expressionAttributeNames(Map.of("#ttl", "ttl"))
                .expressionAttributeValues(Map.of(":n", Items.n(mails),
                        ":ttl", Items.n(hour.plus(Duration.ofDays(2)).getEpochSecond()))));
    }

    /**
     * Mails accepted cluster-wide in the current hour and the 23 before it: the rolling 24 hours,
     * counted in whole hours (up to an hour more than SES's own window, so the budget errs on the safe side).
     */
    public long sentInLast24Hours() {
        String from = clock.instant().truncatedTo(ChronoUnit.HOURS).minus(Duration.ofHours(23)).toString();
        return dynamo.queryPaginator(b -> b.tableName(table)
                        .keyConditionExpression("messageId = :p AND eventKey >= :from")
                        .expressionAttributeValues(Map.of(":p", Items.s(SENT_PER_HOUR), ":from", Items.s(from))))
                .items().stream().mapToLong(item -> Items.number(item, "sent")).sum();
    }
}
