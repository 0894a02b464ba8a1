package routes.store;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.springframework.stereotype.Component;
import routes.aws.AwsProperties;
import routes.aws.Tables;
import routes.model.CampaignStatus;
import routes.model.MessageStatus;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;

/**
 * The launch's bookkeeping on the campaign row: which campaigns are due, the conditional launch claim and its
 * heartbeat, how many chunks are on the queue, and which chunks the send flow has finished. A launcher that
 * dies resumes from here.
 */
@Component
public class LaunchProgress {

    /**
     * What the launch needs of a campaign row.
     *
     * @param reclaim    the ledger statuses a resend launch may send to again (empty for a first launch)
     * @param launch     0 for the first launch, n for the n-th resend: chunks of different launches differ
     * @param progressAt when a launcher last recorded progress (or first claimed the campaign)
     */
    public record Launchable(String campaignId, CampaignStatus status, Instant sendAt, String format,
                             String sourceKey, String recipientsKey, String definition, int enqueuedChunks,
                             List<MessageStatus> reclaim, int launch, Instant progressAt) {}

    private final DynamoDbClient dynamo;
    private final String table;
    private final Clock clock;

    public LaunchProgress(DynamoDbClient dynamo, AwsProperties aws, Clock clock) {
        this.dynamo = dynamo;
        this.table = aws.table(Tables.CAMPAIGNS);
        this.clock = clock;
    }

    public Optional<Launchable> launchable(String campaignId) {
        Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(table).key(Campaigns.key(campaignId))
                .consistentRead(true)).item();
        if (item == null || item.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Launchable(campaignId, CampaignStatus.valueOf(Items.string(item, "status")),
                Items.instant(item, "sendAt").orElse(null), Items.string(item, "format"),
                Items.string(item, "sourceKey"), Items.string(item, "recipientsKey"),
                Items.string(item, "definition"), (int) Items.number(item, "enqueuedChunks"),
                item.containsKey("reclaim") ? item.get("reclaim").ss().stream().map(MessageStatus::valueOf).toList() : List.of(),
                (int) Items.number(item, "resends"), Items.instant(item, "progressAt").orElse(null)));
    }

    /** Ids of campaigns in {@code status} whose sendAt is not after {@code until} (GSI status-sendAt). */
    public List<String> due(CampaignStatus status, Instant until) {
        List<String> ids = new ArrayList<>();
        dynamo.queryPaginator(b -> b.tableName(table).indexName(Tables.CAMPAIGNS_BY_STATUS)
                        .keyConditionExpression("#s = :s AND sendAt <= :until")
                        .expressionAttributeNames(Map.of("#s", "status"))
                        .expressionAttributeValues(Map.of(":s", Items.s(status.name()),
                                ":until", Items.s(Campaigns.SORTABLE.format(until))))
                        .projectionExpression("campaignId"))
                .items().forEach(item -> ids.add(Items.string(item, "campaignId")));
        return ids;
    }

    /**
     * Claims a campaign for launching: from one of {@code from}, or from a LAUNCHING whose launcher
     * stopped reporting progress before {@code staleBefore} (it crashed; its progress stays on the row).
     */
    public boolean claimLaunch(String campaignId, Set<CampaignStatus> from, Instant staleBefore) {
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":launching", Items.s(CampaignStatus.LAUNCHING.name()));
        values.put(":now", Items.s(Campaigns.SORTABLE.format(clock.instant())));
        values.put(":stale", Items.s(Campaigns.SORTABLE.format(staleBefore)));
        String allowed = Campaigns.statusIn(from, values);
        try {
            dynamo.updateItem(b -> b.tableName(table).key(Campaigns.key(campaignId))
                    .updateExpression("SET #s = :launching, launchHeartbeat = :now, updatedAt = :now, "
                            + "progressAt = if_not_exists(progressAt, :now)")
                    .conditionExpression("#s IN (" + allowed + ") OR (#s = :launching AND "
                            + "(attribute_not_exists(launchHeartbeat) OR launchHeartbeat < :stale))")
                    .expressionAttributeNames(Map.of("#s", "status"))
                    .expressionAttributeValues(values));
            return true;
        } catch (ConditionalCheckFailedException lost) {
            return false;
        }
    }

    /** Records that chunks {@code 0..enqueuedChunks-1} are on the send queue; false if the launch lost its claim. */
    public boolean recordEnqueued(String campaignId, int enqueuedChunks) {
        try {
            dynamo.updateItem(b -> b.tableName(table).key(Campaigns.key(campaignId))
                    .updateExpression("SET enqueuedChunks = :n, launchHeartbeat = :now, progressAt = :now")
                    .conditionExpression("#s = :launching")
                    .expressionAttributeNames(Map.of("#s", "status"))
                    .expressionAttributeValues(Map.of(":n", Items.n(enqueuedChunks),
                            ":now", Items.s(Campaigns.SORTABLE.format(clock.instant())),
                            ":launching", Items.s(CampaignStatus.LAUNCHING.name()))));
            return true;
        } catch (ConditionalCheckFailedException lost) {
            return false;
        }
    }

    /** LAUNCHING → SENDING with the totals of the launch. */
    public boolean finishLaunch(String campaignId, int chunkCount, long recipientCount) {
        try {
            dynamo.updateItem(b -> b.tableName(table).key(Campaigns.key(campaignId))
                    .updateExpression("SET #s = :sending, chunkCount = :chunks, enqueuedChunks = :chunks, "
                            + "recipientCount = :recipients, updatedAt = :now")
                    .conditionExpression("#s = :launching")
                    .expressionAttributeNames(Map.of("#s", "status"))
                    .expressionAttributeValues(Map.of(":sending", Items.s(CampaignStatus.SENDING.name()),
                            ":launching", Items.s(CampaignStatus.LAUNCHING.name()),
                            ":chunks", Items.n(chunkCount), ":recipients", Items.n(recipientCount),
                            ":now", Items.s(Campaigns.SORTABLE.format(clock.instant())))));
            return true;
        } catch (ConditionalCheckFailedException lost) {
            return false;
        }
    }

    /**
     * Records chunk {@code chunk} of the campaign as done, idempotently (a number set {@code chunksDone},
     * so a redelivered chunk is not counted twice), and answers whether every chunk of the launch's
     * {@code chunkCount} is now done. False while launch has not written {@code chunkCount}.
     */
    public boolean chunkDone(String campaignId, int chunk) {
        Map<String, AttributeValue> item = dynamo.updateItem(b -> b.tableName(table).key(Campaigns.key(campaignId))
                .updateExpression("ADD chunksDone :chunk SET updatedAt = :now")
                .conditionExpression("attribute_exists(campaignId)")
                .expressionAttributeValues(Map.of(":chunk", AttributeValue.fromNs(List.of(Integer.toString(chunk))),
                        ":now", Items.s(clock.instant().toString())))
                .returnValues(ReturnValue.ALL_NEW)).attributes();
        AttributeValue done = item.get("chunksDone");
        return item.containsKey("chunkCount") && done != null && done.ns().size() >= Items.number(item, "chunkCount");
    }
}
