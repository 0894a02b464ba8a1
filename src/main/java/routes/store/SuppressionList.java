package routes.store;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.springframework.stereotype.Component;
import routes.aws.AwsProperties;
import routes.aws.Tables;
import routes.ops.MailMetrics;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;

/** The addresses never to mail again (suppressions table, keyed by the lower-cased address). */
@Component
public class SuppressionList {

    /** Why an address is suppressed (DESIGN §3). */
    public enum Reason { HARD_BOUNCE, COMPLAINT, UNSUBSCRIBE, SOFT_BOUNCE_LIMIT, MANUAL }

    public record Suppression(String email, Reason reason, String detail, String sourceMessageId, String createdAt) {}


    private final DynamoDbClient dynamo;
    private final String table;
    private final String events;
    private final Clock clock;
    private final MailMetrics metrics;

    public SuppressionList(DynamoDbClient dynamo, AwsProperties aws, Clock clock, MailMetrics metrics) {
        this.dynamo = dynamo;
        this.metrics = metrics;
        this.table = aws.table(Tables.SUPPRESSIONS);
        this.events = aws.table(Tables.EVENTS);
        this.clock = clock;
    }

    /** Adds the address unless it is already listed; the first reason recorded is kept. Returns whether it was added. */
    public boolean suppress(String email, Reason reason, String detail, String sourceMessageId) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put("email", Items.s(normalise(email)));
        item.put("reason", Items.s(reason.name()));
        item.put("createdAt", Items.s(clock.instant().toString()));
        if (detail != null) {
            item.put("detail", Items.s(detail));
        }
        if (sourceMessageId != null) {
            item.put("sourceMessageId", Items.s(sourceMessageId));
        }
        try {
            dynamo.putItem(b -> b.tableName(table).item(item).conditionExpression("attribute_not_exists(email)"));
            metrics.suppressionAdded(reason.name());
            return true;
        } catch (ConditionalCheckFailedException alreadyListed) {
            return false;
        }
    }

    public Optional<Suppression> find(String email) {
        Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(table)
                .key(Map.of("email", Items.s(normalise(email)))).consistentRead(true)).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(toSuppression(item));
    }

    /**
     * The suppressed ones among {@code emails}, lower-cased, in one BatchGetItem per 50 addresses (each asked under two keys). An
     * address counts as suppressed under its own key or under its {@link #pseudonym}, which is all an
     * erasure (GDPR) leaves of a suppressed address: an erased recipient stays unreachable.
     */
    public Set<String> suppressedAmong(Collection<String> emails) {
        Map<String, String> addressOfKey = new HashMap<>();
        emails.stream().map(SuppressionList::normalise).distinct().forEach(email -> {
            addressOfKey.put(email, email);
            addressOfKey.put(pseudonym(email), email);
        });
        Set<String> suppressed = new HashSet<>();
        Items.batchGet(dynamo, table, "email", List.copyOf(addressOfKey.keySet()), "email", Map.of())
                .forEach(item -> suppressed.add(addressOfKey.get(Items.string(item, "email"))));
        return suppressed;
    }

    public boolean remove(String email) {
        Map<String, AttributeValue> old = dynamo.deleteItem(b -> b.tableName(table)
                .key(Map.of("email", Items.s(normalise(email))))
                .returnValues(ReturnValue.ALL_OLD)).attributes();
        return old != null && !old.isEmpty();
    }

    public static String normalise(String email) {
        return email.trim().toLowerCase(Locale.ROOT);
    }

    private static Suppression toSuppression(Map<String, AttributeValue> item) {
        String reason = Items.string(item, "reason");
        return new Suppression(Items.string(item, "email"), reason == null ? null : Reason.valueOf(reason),
                Items.string(item, "detail"), Items.string(item, "sourceMessageId"), Items.string(item, "createdAt"));
    }

    public Page<Suppression> list(int limit, String cursor) {
        ScanResponse page = dynamo.scan(b -> b.tableName(table).limit(limit).exclusiveStartKey(Items.startKey(cursor)));
        return new Page<>(page.items().stream().map(SuppressionList::toSuppression).toList(), Items.cursor(page.lastEvaluatedKey()));
    }

    /**
     * GDPR erasure: replaces the address's entry by one keyed by {@code pseudonym} (same reason and
     * time, no detail or source). Returns whether the address was suppressed.
     */
    public boolean replaceWithPseudonym(String email, String pseudonym) {
        Map<String, AttributeValue> old = dynamo.deleteItem(b -> b.tableName(table)
                .key(Map.of("email", Items.s(normalise(email)))).returnValues(ReturnValue.ALL_OLD)).attributes();
        if (old == null || old.isEmpty()) {
            return false;
        }
        Map<String, AttributeValue> item = new HashMap<>();
        item.put("email", Items.s(pseudonym));
        item.put("reason", old.get("reason"));
        item.put("createdAt", old.get("createdAt"));
        if (old.containsKey("expiresAt")) {
            item.put("expiresAt", old.get("expiresAt"));
        }
        dynamo.putItem(b -> b.tableName(table).item(item));
        return true;
    }

    /** Partition of the events table holding the suppression audit trail (addresses only as pseudonyms). */
    public static final String AUDIT_PARTITION = Tables.SUPPRESSION_AUDIT;

    /**
     * Removes the address and records the removal in the audit trail (events table, partition
     * {@value #AUDIT_PARTITION}) with its pseudonym, old reason and who asked. Empty if it was not listed.
     */
    public Optional<Suppression> removeAudited(String email, String actor) {
        Map<String, AttributeValue> old = dynamo.deleteItem(b -> b.tableName(table)
                .key(Map.of("email", Items.s(normalise(email)))).returnValues(ReturnValue.ALL_OLD)).attributes();
        if (old == null || old.isEmpty()) {
            return Optional.empty();
        }
        String now = clock.instant().toString();
        dynamo.putItem(b -> b.tableName(events).item(Map.of(
                "messageId", Items.s(AUDIT_PARTITION),
                "eventKey", Items.s(now + "#SUPPRESSION_REMOVED#" + pseudonym(email)),
                "reason", old.get("reason"),
                "suppressedAt", old.getOrDefault("createdAt", Items.s("unknown")),
                "actor", Items.s(actor))));
        return Optional.of(toSuppression(old));
    }

    /** A stable stand-in for an address that may no longer be stored: {@code sha256:<hex of the normalised address>}. */
    public static String pseudonym(String email) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(normalise(email).getBytes(StandardCharsets.UTF_8));
            return "sha256:" + HexFormat.of().formatHex(hash);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
    }
}
