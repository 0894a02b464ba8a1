package routes.send;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.LongSummaryStatistics;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.camel.CamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import routes.MailroutesTest;
import routes.aws.AwsProperties;
import routes.localaws.AwsCallCounter;
import routes.localaws.EmulatorCeilings;
import routes.localaws.LocalAwsProcess;
import routes.model.CampaignStatus;
import routes.model.MessageStatus;
import routes.model.SendChunk.Recipient;
import routes.store.Campaigns;
import routes.store.Ledger;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Prints the send flow's numbers (docs/send.md): end-to-end emails/s with SES unlimited, AWS calls per
 * email by API, app CPU per email, the raw DynamoDB Local / ElasticMQ ceilings measured in the same run and
 * the ratio, and the throttle's precision at 50/s over 60 s. The embedded AWS runs in its own JVM, so the CPU
 * of this JVM is the application's. Run alone:
 * {@code mvn -B -o test -Dtest=SendBenchmark -Dsurefire.excludes=none}; add
 * {@code -Dmailroutes.local-aws.latency-ms=15} for real AWS's round trip, {@code -Dbenchmark.emails=N} for size.
 */
@MailroutesTest
class SendBenchmark {

    static {
        // Before the Spring context (and with it the embedded AWS) starts.
        LocalAwsProcess.forkUnlessSet();
    }

    private static final int EMAILS = Integer.getInteger("benchmark.emails", 4000);
    private static final int CHUNK = 500;
    /** The throttled run's rate: {@code -Dbenchmark.rate=N}, 50 by default. */
    private static final int RATE = Integer.getInteger("benchmark.rate", 50);
    /** Callers of the raw ceiling: enough to keep the emulator busy through the simulated latency too. */
    private static final int THREADS = Long.getLong("mailroutes.local-aws.latency-ms", 0) > 0 ? 32 : 4;

    @Autowired DynamoDbClient dynamo;
    @Autowired SqsClient sqs;
    @Autowired AwsProperties aws;
    @Autowired ObjectMapper json;
    @Autowired Campaigns campaigns;
    @Autowired Ledger ledger;
    @Autowired SendRate sendRate;
    @Autowired AwsCallCounter calls;
    @Autowired CamelContext camel;

    @AfterEach
    void reset() throws Exception {
        camel.getRouteController().startRoute("feedback");
        sendRate.reset();
    }

    @Test
    void unlimited() throws Exception {
        SendFixture fixture = new SendFixture(dynamo, sqs, aws, json);
        sendRate.setMaxRate(1_000_000);
        warmUp(fixture);
        // The send pipeline's calls only: the feedback flow would count SES's Send and Delivery events in.
        camel.getRouteController().stopRoute("feedback");

        double loadAtStart = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        String campaignId = fixture.campaign(CampaignStatus.SENDING, EMAILS / CHUNK);
        List<Recipient> recipients = SendFixture.greeted(campaignId, EMAILS);
        calls.reset();
        Map<Long, Long> cpuBefore = appThreadCpu();
        long processCpuBefore = processCpu();
        Duration awsCpuBefore = LocalAwsProcess.cpu();
        long started = System.nanoTime();
        List<?> chunks = fixture.enqueue(campaignId, recipients, CHUNK);
        AtomicInteger polls = new AtomicInteger();
        await().atMost(Duration.ofMinutes(10)).pollInterval(Duration.ofMillis(50)).until(() -> {
            polls.incrementAndGet();
            return campaigns.status(campaignId).orElseThrow() == CampaignStatus.SENT;
        });
        double seconds = (System.nanoTime() - started) / 1e9;
        double appCpuMs = cpuSince(cpuBefore) / 1e6;
        double processCpuMs = (processCpu() - processCpuBefore) / 1e6;
        double awsCpuMs = LocalAwsProcess.cpu().minus(awsCpuBefore).toNanos() / 1e6;
        Map<String, Long> byApi = calls.snapshot();
        // Not the application's calls: the harness enqueues (GetQueueUrl + SendMessage per chunk) and polls the status.
        byApi.merge("Sqs.GetQueueUrl", (long) -chunks.size(), Long::sum);
        byApi.merge("Sqs.SendMessage", (long) -chunks.size(), Long::sum);
        byApi.merge("DynamoDb.GetItem", (long) -polls.get(), Long::sum);
        byApi.values().removeIf(count -> count == 0);

        double emailsPerSecond = EMAILS / seconds;
        System.out.printf("%nSEND BENCHMARK: %d emails in %.2f s = %.0f emails/s end to end (SES unlimited, send consumers %s,"
                        + " simulated AWS latency %d ms, load average at start %.2f on %d cores)%n",
                EMAILS, seconds, emailsPerSecond, camel.resolvePropertyPlaceholders("{{mailroutes.send.consumers}}"),
                Long.getLong("mailroutes.local-aws.latency-ms", 0), loadAtStart, Runtime.getRuntime().availableProcessors());
        long total = byApi.values().stream().mapToLong(Long::longValue).sum();
        System.out.printf("SEND BENCHMARK: AWS calls per email %.3f (all of the application's calls from enqueue to SENT)%n", (double) total / EMAILS);
        byApi.forEach((api, count) -> System.out.printf("SEND BENCHMARK:   %-40s %7d  %.3f/email%n", api, count, (double) count / EMAILS));
        System.out.printf("SEND BENCHMARK: app CPU %.2f ms/email (Camel threads), %.2f ms/email (whole app JVM); "
                + "embedded AWS JVM %.2f ms/email%n", appCpuMs / EMAILS, processCpuMs / EMAILS, awsCpuMs / EMAILS);

        double dynamoWrites = EmulatorCeilings.dynamoWritesPerSecond(dynamo, THREADS);
        double sqsMessages = EmulatorCeilings.sqsMessagesPerSecond(sqs, THREADS);
        double ddbBound = dynamoWrites / 2;
        System.out.printf("SEND BENCHMARK: raw DynamoDB Local %.0f conditional UpdateItem/s (%d threads) -> ceiling %.0f emails/s at 2 writes/email; ratio %.2f%n",
                dynamoWrites, THREADS, ddbBound, emailsPerSecond / ddbBound);
        System.out.printf("SEND BENCHMARK: raw ElasticMQ %.0f messages/s send+receive+delete (%d threads); chunks of %d -> ceiling %.0f emails/s; ratio %.4f%n",
                sqsMessages, THREADS, CHUNK, sqsMessages * CHUNK, emailsPerSecond / (sqsMessages * CHUNK));
    }

    @Test
    void throttledFor60Seconds() throws Exception {
        SendFixture fixture = new SendFixture(dynamo, sqs, aws, json);
        warmUp(fixture);
        // The pacer's precision, not the machine's: on 2 cores the emulators' work for SES's events, with the
        // feedback flow beside them, leaves CPU for only ~32 mails/s (docs/send.md).
        if (!Boolean.getBoolean("benchmark.feedback")) {
            camel.getRouteController().stopRoute("feedback");
        }
        sendRate.setMaxRate(RATE);
        String campaignId = fixture.campaign(CampaignStatus.SENDING, 8);
        fixture.enqueue(campaignId, SendFixture.greeted(campaignId, RATE * 80), CHUNK);
        calls.reset();
        LongSummaryStatistics sending = new LongSummaryStatistics();
        await().atMost(Duration.ofSeconds(75)).pollInterval(Duration.ofMillis(200)).until(() -> {
            sending.accept(ledger.countInStatus(campaignId, List.of(MessageStatus.SENDING)));
            long[] times = calls.rawSendTimes();
            return times.length > 0 && System.nanoTime() - times[0] > TimeUnit.SECONDS.toNanos(61);
        });
        campaigns.transition(campaignId, Set.of(CampaignStatus.SENDING), CampaignStatus.CANCELLED);

        long[] times = calls.rawSendTimes();
        long first = times[0];
        long end = first + TimeUnit.SECONDS.toNanos(60);
        int inMinute = 0;
        int maxWindow = 0;
        for (int i = 0, j = 0; i < times.length && times[i] < end; i++) {
            inMinute++;
            while (j < times.length && times[j] - times[i] < TimeUnit.SECONDS.toNanos(1)) {
                j++;
            }
            maxWindow = Math.max(maxWindow, j - i);
        }
        int[] perSecond = new int[60];
        for (long time : times) {
            if (time < end) {
                perSecond[(int) ((time - first) / TimeUnit.SECONDS.toNanos(1))]++;
            }
        }
        System.out.printf("%nSEND BENCHMARK: throttle %d/s for 60 s: %d sent, average %.2f/s (%.1f %%), max %d in any 1 s window%n"
                + "SEND BENCHMARK: per second %s%n", RATE, inMinute, inMinute / 60.0, 100.0 * inMinute / 60 / RATE, maxWindow,
                java.util.Arrays.toString(perSecond));
        long[] durations = calls.rawSendDurations();
        System.out.printf("SEND BENCHMARK: SendRawEmail call p50 %.1f ms, p95 %.1f ms (the pacer holds a slot for the call and a second)%n",
                durations[durations.length / 2] / 1e6, durations[durations.length * 95 / 100] / 1e6);
        System.out.printf("SEND BENCHMARK: rows SENDING (claimed, not yet answered by SES: what a crash would leave "
                + "ambiguous), %d samples 200 ms apart: mean %.2f, max %d%n", sending.getCount(), sending.getAverage(), sending.getMax());
    }

    private void warmUp(SendFixture fixture) {
        String campaignId = fixture.campaign(CampaignStatus.SENDING, 1);
        fixture.enqueue(campaignId, SendFixture.greeted(campaignId, 200), CHUNK);
        await().atMost(Duration.ofMinutes(2)).until(() -> campaigns.status(campaignId).orElseThrow() == CampaignStatus.SENT);
    }

    /** CPU time of the application's Camel threads (consumers, timers, the throttle). */
    private static Map<Long, Long> appThreadCpu() {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        Map<Long, Long> cpu = new HashMap<>();
        for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
            if (info != null && info.getThreadName().startsWith("Camel")) {
                cpu.put(info.getThreadId(), threads.getThreadCpuTime(info.getThreadId()));
            }
        }
        return cpu;
    }

    private static long cpuSince(Map<Long, Long> before) {
        long total = 0;
        for (Map.Entry<Long, Long> now : appThreadCpu().entrySet()) {
            total += now.getValue() - before.getOrDefault(now.getKey(), 0L);
        }
        return total;
    }

    private static long processCpu() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }
}
