package routes.feedback;

import static org.awaitility.Awaitility.await;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangePropertyKey;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.support.EventNotifierSupport;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import routes.localaws.AwsCallCounter;
import routes.localaws.EmulatorCeilings;
import routes.localaws.LocalAwsProcess;
import routes.MailroutesTest;
import routes.aws.AwsProperties;
import routes.aws.Tables;
import routes.feedback.FeedbackFixtures.Sent;
import routes.model.MessageIds;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;
import software.amazon.awssdk.services.ses.SesClient;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sns.model.PublishBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * Feedback throughput on the embedded AWS: a pre-filled ses-events queue of mixed events (per message:
 * Send, Delivery or a bounce/complaint, two Opens, a Click), consumed with the configured consumers.
 * Prints events/s, AWS calls per event by API, consumer-thread CPU ms per event, the p95 of SQS
 * receive → exchange done (the DynamoDB status write happens inside it), and DynamoDB Local's ceiling
 * measured in the same run with the ratio. The embedded AWS runs in its own JVM, so this JVM's CPU is the
 * application's. Run: {@code mvn -B -o test -Dtest=FeedbackBenchmark -Dsurefire.excludes=none
 * -Dbenchmark.events=50000}; add {@code -Dmailroutes.local-aws.latency-ms=15} for real AWS's round trip.
 */
@MailroutesTest
class FeedbackBenchmark {

    static {
        // Before the Spring context (and with it the embedded AWS) starts.
        LocalAwsProcess.forkUnlessSet();
    }

    /** Callers of the raw ceiling: enough to keep the emulator busy through the simulated latency too. */
    private static final long LATENCY_MS = Long.getLong("mailroutes.local-aws.latency-ms", 0);
    private static final int CEILING_THREADS = LATENCY_MS > 0 ? 32 : 4;

    private static final String[] EVENTS_PER_MESSAGE = {"send", "delivery", "open", "open", "click"};

    @Autowired AwsProperties aws;
    @Autowired DynamoDbClient dynamo;
    @Autowired SnsClient sns;
    @Autowired SesClient ses;
    @Autowired SqsClient sqs;
    @Autowired CamelContext camel;
    @Autowired AwsCallCounter calls;
    @Autowired FeedbackBatches batches;

    @Test
    void mixedEventsFromAPreFilledQueue() throws Exception {
        int events = Integer.getInteger("benchmark.events", 10_000);
        int messages = events / EVENTS_PER_MESSAGE.length;
        FeedbackFixtures fixtures = new FeedbackFixtures(aws, dynamo, sns, ses, sqs);
        String campaignId = FeedbackFixtures.campaign("bench");
        String queue = sqs.getQueueUrl(b -> b.queueName(aws.queues().sesEvents())).queueUrl();

        camel.getRouteController().stopRoute("feedback");
        List<Sent> sents = ledgerRows(campaignId, messages);
        List<String> bodies = bodies(fixtures, sents);
        Collections.shuffle(bodies, new java.util.Random(7));
        // Through the embedded SNS, which signs each envelope, as SES's events arrive (it may run in its own JVM).
        String topic = fixtures.sesEventsTopic();
        for (int from = 0; from < bodies.size(); from += 10) {
            List<PublishBatchRequestEntry> entries = new ArrayList<>();
            for (int i = from; i < Math.min(from + 10, bodies.size()); i++) {
                entries.add(PublishBatchRequestEntry.builder().id("e" + i).message(bodies.get(i)).build());
            }
            sns.publishBatch(b -> b.topicArn(topic).publishBatchRequestEntries(entries));
        }
        await().atMost(Duration.ofMinutes(5)).until(() -> Integer.parseInt(sqs.getQueueAttributes(b -> b.queueUrl(queue)
                .attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES)).attributes()
                .get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES)) >= bodies.size());

        List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
        AtomicLong done = new AtomicLong();
        EventNotifierSupport notifier = watchReceiveToDone(latencies, done);
        calls.reset();
        double loadAtStart = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        Duration awsCpuBefore = LocalAwsProcess.cpu();
        long processCpuBefore = processCpuNanos();
        long cpuBefore = consumerCpuNanos();
        long started = System.nanoTime();
        camel.getRouteController().startRoute("feedback");

        await().atMost(Duration.ofMinutes(30)).pollInterval(Duration.ofMillis(200)).until(() -> done.get() >= bodies.size());
        double seconds = (System.nanoTime() - started) / 1e9;
        long cpu = consumerCpuNanos() - cpuBefore;
        long processCpu = processCpuNanos() - processCpuBefore;
        Duration awsCpu = LocalAwsProcess.cpu().minus(awsCpuBefore);
        Map<String, Long> byApi = calls.snapshot();
        camel.getManagementStrategy().removeEventNotifier(notifier);
        batches.flushNow();

        List<Long> sorted = new ArrayList<>(latencies);
        Collections.sort(sorted);
        System.out.printf("FEEDBACK BENCHMARK: %d events (%d messages), consumers=%s, simulated AWS latency %d ms,"
                        + " load average at start %.2f on %d cores%n", bodies.size(), messages,
                camel.resolvePropertyPlaceholders("{{mailroutes.feedback.consumers}}"), LATENCY_MS, loadAtStart,
                Runtime.getRuntime().availableProcessors());
        double eventsPerSecond = bodies.size() / seconds;
        System.out.printf("FEEDBACK BENCHMARK: %.1f s, %.0f events/s%n", seconds, eventsPerSecond);
        System.out.printf("FEEDBACK BENCHMARK: consumer-thread CPU %.3f ms/event, whole app JVM %.3f ms/event;"
                        + " embedded AWS JVM %.3f ms/event%n", cpu / 1e6 / bodies.size(), processCpu / 1e6 / bodies.size(),
                awsCpu.toNanos() / 1e6 / bodies.size());
        System.out.printf("FEEDBACK BENCHMARK: receive -> done latency p50 %d ms, p95 %d ms, max %d ms%n",
                sorted.get(sorted.size() / 2), sorted.get((int) (sorted.size() * 0.95)), sorted.get(sorted.size() - 1));
        long total = byApi.values().stream().mapToLong(Long::longValue).sum();
        System.out.printf("FEEDBACK BENCHMARK: AWS calls %.2f/event%n", (double) total / bodies.size());
        byApi.forEach((api, count) -> System.out.printf("FEEDBACK BENCHMARK:   %-32s %8d  %.3f/event%n",
                api, count, (double) count / bodies.size()));
        double writesPerEvent = byApi.entrySet().stream()
                .filter(call -> call.getKey().matches("DynamoDb\\.(PutItem|UpdateItem|DeleteItem|TransactWriteItems)"))
                .mapToLong(Map.Entry::getValue).sum() / (double) bodies.size();
        double rawWrites = EmulatorCeilings.dynamoWritesPerSecond(dynamo, CEILING_THREADS);
        double ceiling = rawWrites / writesPerEvent;
        System.out.printf("FEEDBACK BENCHMARK: raw DynamoDB Local %.0f conditional UpdateItem/s (%d threads), %.2f writes/event"
                + " -> ceiling %.0f events/s; ratio %.2f%n", rawWrites, CEILING_THREADS, writesPerEvent, ceiling, eventsPerSecond / ceiling);
    }

    /**
     * Events at a steady rate below the capacity measured above ({@code -Dbenchmark.rate=N} events/s, 50 by default,
     * for {@code -Dbenchmark.seconds=N}, 30), with the route running: receive → done is then the processing of one
     * event, not the wait behind the events of a pre-filled queue.
     */
    @Test
    void steadyRate() throws Exception {
        int rate = Integer.getInteger("benchmark.rate", 50);
        int seconds = Integer.getInteger("benchmark.seconds", 30);
        FeedbackFixtures fixtures = new FeedbackFixtures(aws, dynamo, sns, ses, sqs);
        List<String> bodies = bodies(fixtures, ledgerRows(FeedbackFixtures.campaign("steady"),
                rate * seconds / EVENTS_PER_MESSAGE.length + 1));
        Collections.shuffle(bodies, new java.util.Random(7));
        String topic = fixtures.sesEventsTopic();
        List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
        AtomicLong done = new AtomicLong();
        EventNotifierSupport notifier = watchReceiveToDone(latencies, done);
        calls.reset();
        long cpuBefore = consumerCpuNanos();
        int total = rate * seconds;
        long started = System.nanoTime();
        // A publish of 10 every 10/rate seconds: the load generator's clock, not a synchronisation.
        for (int from = 0; from < total; from += 10) {
            long due = started + (long) (from * 1e9 / rate);
            LockSupport.parkNanos(due - System.nanoTime());
            List<PublishBatchRequestEntry> entries = new ArrayList<>();
            for (int i = from; i < Math.min(from + 10, total); i++) {
                entries.add(PublishBatchRequestEntry.builder().id("e" + i).message(bodies.get(i)).build());
            }
            sns.publishBatch(b -> b.topicArn(topic).publishBatchRequestEntries(entries));
        }
        await().atMost(Duration.ofMinutes(10)).pollInterval(Duration.ofMillis(100)).until(() -> done.get() >= total);
        double elapsed = (System.nanoTime() - started) / 1e9;
        long cpu = consumerCpuNanos() - cpuBefore;
        Map<String, Long> byApi = this.calls.snapshot();
        long calls = byApi.values().stream().mapToLong(Long::longValue).sum();
        camel.getManagementStrategy().removeEventNotifier(notifier);
        List<Long> sorted = new ArrayList<>(latencies);
        Collections.sort(sorted);
        System.out.printf("FEEDBACK BENCHMARK: steady %d events/s offered for %d s (simulated AWS latency %d ms): %d events in %.1f s;"
                        + " receive -> done p50 %d ms, p95 %d ms, max %d ms; consumer-thread CPU %.3f ms/event; AWS calls %.2f/event%n",
                rate, seconds, LATENCY_MS, total, elapsed, sorted.get(sorted.size() / 2), sorted.get((int) (sorted.size() * 0.95)),
                sorted.get(sorted.size() - 1), cpu / 1e6 / total, (double) calls / total);
        byApi.forEach((api, count) -> System.out.printf("FEEDBACK BENCHMARK:   %-32s %8d  %.3f/event%n",
                api, count, (double) count / total));
    }

    /** Per message: Send, Delivery (a permanent bounce for every 33rd, a complaint for every 1,000th), two Opens, a Click. */
    private static List<String> bodies(FeedbackFixtures fixtures, List<Sent> sents) {
        List<String> bodies = new ArrayList<>();
        Instant at = Instant.now();
        for (int m = 0; m < sents.size(); m++) {
            for (int e = 0; e < EVENTS_PER_MESSAGE.length; e++) {
                String fixture = EVENTS_PER_MESSAGE[e];
                if (fixture.equals("delivery") && m % 33 == 0) {
                    fixture = "bounce-permanent";
                } else if (fixture.equals("delivery") && m % 1000 == 1) {
                    fixture = "complaint";
                }
                bodies.add(fixtures.render(fixture, sents.get(m), at.plusMillis(e * 1000L)));
            }
        }
        return bodies;
    }

    /** Receive (the consumer created the exchange) → done of every ses-events exchange, from now on. */
    private EventNotifierSupport watchReceiveToDone(List<Long> latencies, AtomicLong done) {
        EventNotifierSupport notifier = new EventNotifierSupport() {
            @Override
            public void notify(CamelEvent event) {
                Exchange exchange = ((CamelEvent.ExchangeEvent) event).getExchange();
                if ("feedback".equals(exchange.getFromRouteId())
                        && exchange.getProperty(ExchangePropertyKey.CORRELATION_ID) == null) {
                    latencies.add(System.currentTimeMillis() - exchange.getClock().getCreated());
                    done.incrementAndGet();
                }
            }

            @Override
            public boolean isEnabled(CamelEvent event) {
                return event instanceof CamelEvent.ExchangeCompletedEvent || event instanceof CamelEvent.ExchangeFailedEvent;
            }
        };
        camel.getManagementStrategy().addEventNotifier(notifier);
        notifier.start();
        return notifier;
    }

    private List<Sent> ledgerRows(String campaignId, int messages) {
        List<Sent> sents = new ArrayList<>();
        List<WriteRequest> batch = new ArrayList<>();
        String table = aws.table(Tables.MESSAGES);
        for (int m = 0; m < messages; m++) {
            String recipient = "bench-" + m + "@example.org";
            Sent sent = new Sent(campaignId, recipient, MessageIds.forCampaign(campaignId, recipient), "0100-bench-" + campaignId + "-" + m);
            sents.add(sent);
            batch.add(WriteRequest.builder().putRequest(PutRequest.builder().item(Map.of(
                    "messageId", AttributeValue.fromS(sent.messageId()),
                    "campaignId", AttributeValue.fromS(campaignId),
                    "recipient", AttributeValue.fromS(recipient),
                    "status", AttributeValue.fromS("SENT"),
                    "statusRank", AttributeValue.fromN("2"),
                    "sesMessageId", AttributeValue.fromS(sent.sesMessageId()))).build()).build());
            if (batch.size() == 25 || m == messages - 1) {
                Map<String, List<WriteRequest>> request = Map.of(table, List.copyOf(batch));
                while (!request.isEmpty()) {
                    Map<String, List<WriteRequest>> pending = request;
                    request = dynamo.batchWriteItem(b -> b.requestItems(pending)).unprocessedItems();
                }
                batch.clear();
            }
        }
        return sents;
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    /** CPU time of the ses-events consumer threads, where the whole route runs (synchronous SDK calls). */
    private long consumerCpuNanos() {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long total = 0;
        for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
            if (info != null && info.getThreadName().contains(aws.queues().sesEvents())) {
                total += Math.max(0, threads.getThreadCpuTime(info.getThreadId()));
            }
        }
        return total;
    }
}
