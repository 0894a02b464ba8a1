package routes.localaws;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * What the embedded AWS itself manages on this machine, measured in the benchmark's own run (same load, same
 * latency setting), so that a flow's rate can be given as a share of the emulator's ceiling.
 */
public final class EmulatorCeilings {

    private EmulatorCeilings() {
    }

    /**
     * Conditional UpdateItems of new keys per second from {@code threads} callers, as the ledger claim writes, into a
     * scratch table keyed like the ledger (the product's own tables get no rows it did not write).
     */
    public static double dynamoWritesPerSecond(DynamoDbClient dynamo, int threads) throws Exception {
        String table = "raw-" + UUID.randomUUID();
        dynamo.createTable(b -> b.tableName(table).billingMode(BillingMode.PAY_PER_REQUEST)
                .keySchema(KeySchemaElement.builder().attributeName("messageId").keyType(KeyType.HASH).build())
                .attributeDefinitions(AttributeDefinition.builder().attributeName("messageId")
                        .attributeType(ScalarAttributeType.S).build()));
        try {
            return parallel(threads, 1000, i -> dynamo.updateItem(b -> b.tableName(table)
                    .key(Map.of("messageId", AttributeValue.fromS("raw-" + UUID.randomUUID())))
                    .updateExpression("SET #s = :s")
                    .conditionExpression("attribute_not_exists(messageId)")
                    .expressionAttributeNames(Map.of("#s", "status"))
                    .expressionAttributeValues(Map.of(":s", AttributeValue.fromS("QUEUED")))));
        } finally {
            dynamo.deleteTable(b -> b.tableName(table));
        }
    }

    /** Messages per second through a scratch queue, one SendMessage, ReceiveMessage and DeleteMessage each. */
    public static double sqsMessagesPerSecond(SqsClient sqs, int threads) throws Exception {
        String url = sqs.createQueue(b -> b.queueName("raw-" + UUID.randomUUID())).queueUrl();
        return parallel(threads, 250, i -> {
            sqs.sendMessage(b -> b.queueUrl(url).messageBody("x"));
            sqs.receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(1)).messages()
                    .forEach(m -> sqs.deleteMessage(b -> b.queueUrl(url).receiptHandle(m.receiptHandle())));
        });
    }

    private interface Call {
        void run(int i) throws Exception;
    }

    private static double parallel(int threads, int perThread, Call call) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            long started = System.nanoTime();
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                futures.add(pool.submit(() -> {
                    for (int i = 0; i < perThread; i++) {
                        call.run(i);
                    }
                    return null;
                }));
            }
            for (Future<?> future : futures) {
                future.get();
            }
            return threads * perThread / ((System.nanoTime() - started) / 1e9);
        } finally {
            pool.shutdown();
        }
    }
}
