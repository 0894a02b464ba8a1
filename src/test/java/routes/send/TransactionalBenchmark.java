package routes.send;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.http.HttpMethod;
import org.springframework.http.ResponseEntity;
import routes.MailroutesTest;
import routes.api.ApiRequests;
import routes.aws.AwsProperties;
import routes.aws.Tables;
import routes.localaws.AwsCallCounter;
import routes.localaws.LocalAwsProcess;
import routes.model.CampaignStatus;
import routes.model.MessageStatus;
import routes.store.Campaigns;
import routes.store.Ledger;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Prints POST → SENT latency of transactional mail (docs/send.md, "Numbers"): {@code POST /api/v1/emails} at
 * a steady 50 % and 90 % of the account rate, alone and while a 20,000-recipient campaign waits for the rate,
 * p50/p95/max per case, and how many campaign mails went out meanwhile. SENT is the ledger's {@code sentAt}
 * (SES's acceptance when a feedback event overtook that write). The embedded AWS runs in its own JVM. Run alone:
 * {@code mvn -B -o test -Dtest=TransactionalBenchmark -Dsurefire.excludes=none}; {@code -Dbenchmark.rate=N}
 * (default the configured 14/s), {@code -Dbenchmark.seconds=N} per case (30).
 */
@MailroutesTest
class TransactionalBenchmark {

    static {
        // Before the Spring context (and with it the embedded AWS) starts.
        LocalAwsProcess.forkUnlessSet();
    }

    private static final int SECONDS = Integer.getInteger("benchmark.seconds", 30);

    @Autowired TestRestTemplate http;
    @Autowired DynamoDbClient dynamo;
    @Autowired SqsClient sqs;
    @Autowired AwsProperties aws;
    @Autowired ObjectMapper json;
    @Autowired Campaigns campaigns;
    @Autowired Ledger ledger;
    @Autowired SendRate sendRate;
    @Autowired SendProperties properties;
    @Autowired AwsCallCounter calls;

    @AfterEach
    void reset() {
        sendRate.reset();
    }

    @Test
    void postToSentAtHalfAndNineTenthsOfTheRateAloneAndBesideACampaign() throws Exception {
        double rate = Double.parseDouble(System.getProperty("benchmark.rate", Double.toString(properties.maxRate())));
        sendRate.setMaxRate(rate);
        offer(rate / 2, (int) rate * 10);                                // warm-up: JIT, pools, connections
        List<String> report = new ArrayList<>();
        for (boolean campaign : new boolean[] {false, true}) {
            for (double share : new double[] {0.5, 0.9}) {
                report.add(run(rate, share, campaign));
            }
        }
        System.out.printf("%nTRANSACTIONAL BENCHMARK: account rate %.0f/s, %d s per case, load average %.2f on %d cores%n",
                rate, SECONDS, ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(),
                Runtime.getRuntime().availableProcessors());
        report.forEach(line -> System.out.println("TRANSACTIONAL BENCHMARK: " + line));
    }

    private String run(double rate, double share, boolean withCampaign) throws Exception {
        SendFixture fixture = new SendFixture(dynamo, sqs, aws, json);
        String campaignId = null;
        if (withCampaign) {
            campaignId = fixture.campaign(CampaignStatus.SENDING, 40);
            fixture.enqueue(campaignId, SendFixture.greeted(campaignId, 20_000), 500);
            calls.reset();
            await().atMost(Duration.ofMinutes(1)).until(() -> calls.rawSendTimes().length >= 2 * rate);
        }
        calls.reset();
        long started = System.nanoTime();
        Latencies latencies = offer(rate * share, (int) Math.round(rate * share * SECONDS));
        List<Double> sent = latencies.sent();
        double seconds = (System.nanoTime() - started) / 1e9;
        long campaignMails = calls.rawSendTimes().length - sent.size();
        if (campaignId != null) {
            campaigns.transition(campaignId, Set.of(CampaignStatus.SENDING), CampaignStatus.CANCELLED);
            AtomicInteger sends = new AtomicInteger(-1);
            await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofSeconds(2)).until(() -> {
                int now = calls.rawSendTimes().length;
                return sends.getAndSet(now) == now;
            });
        }
        return String.format("offered %.1f/s (%.0f %% of the rate), %s: %d mails, POST->SENT p50 %.2f s, p95 %.2f s, max %.2f s"
                        + " (POST->202 p50 %.2f s, p95 %.2f s); campaign mails meanwhile %d in %.0f s (%.1f/s)",
                rate * share, share * 100, withCampaign ? "beside a 20,000-recipient campaign" : "alone", sent.size(),
                percentile(sent, 0.50), percentile(sent, 0.95), sent.get(sent.size() - 1),
                percentile(latencies.answered(), 0.50), percentile(latencies.answered(), 0.95),
                campaignMails, seconds, campaignMails / seconds);
    }

    /** POST → SENT and POST → 202 of each email, in seconds. */
    private record Latencies(List<Double> sent, List<Double> answered) {}

    /** Posts {@code count} emails at {@code perSecond}, evenly spaced; their latencies once all are SENT. */
    private Latencies offer(double perSecond, int count) throws Exception {
        Map<String, Instant> postedAt = new ConcurrentHashMap<>();
        List<Double> answers = Collections.synchronizedList(new ArrayList<>());
        ScheduledExecutorService clock = Executors.newSingleThreadScheduledExecutor();
        ExecutorService callers = Executors.newFixedThreadPool(16);
        try {
            long intervalMicros = Math.round(1_000_000 / perSecond);
            for (int i = 0; i < count; i++) {
                clock.schedule(() -> callers.submit(() -> {
                    Instant at = Instant.now();
                    String emailId = post();
                    answers.add((System.currentTimeMillis() - at.toEpochMilli()) / 1000.0);
                    postedAt.put(emailId, at);
                    return null;
                }), i * intervalMicros, TimeUnit.MICROSECONDS);
            }
            await().atMost(Duration.ofSeconds(SECONDS * 3L + 60)).pollInterval(Duration.ofMillis(500))
                    .until(() -> postedAt.size() == count && postedAt.keySet().stream()
                            .allMatch(id -> SendFixture.SENT_OR_LATER.contains(ledger.find(id).orElseThrow().status())));
        } finally {
            clock.shutdownNow();
            callers.shutdownNow();
        }
        List<Double> latencies = new ArrayList<>();
        postedAt.forEach((id, at) -> latencies.add((sentAt(id) - at.toEpochMilli()) / 1000.0));
        latencies.sort(Double::compare);
        List<Double> answered = new ArrayList<>(answers);
        answered.sort(Double::compare);
        return new Latencies(latencies, answered);
    }

    private String post() throws Exception {
        String body = json.writeValueAsString(Map.of("to", List.of("bench-" + UUID.randomUUID() + "@example.org"),
                "subject", "Your code", "bodyText", "123456"));
        ResponseEntity<String> response = http.exchange("/api/v1/emails", HttpMethod.POST, ApiRequests.withKey(body), String.class);
        if (response.getStatusCode().value() != 202) {
            throw new IllegalStateException("POST /api/v1/emails answered " + response.getStatusCode() + ": " + response.getBody());
        }
        return json.readTree(response.getBody()).path("emailId").asText();
    }

    /** The ledger's SENT time; SES's acceptance when a feedback event moved the row on before the SENT write. */
    private long sentAt(String emailId) {
        Map<String, AttributeValue> row = dynamo.getItem(b -> b.tableName(aws.table(Tables.MESSAGES))
                .key(Map.of("messageId", AttributeValue.fromS(emailId))).consistentRead(true)).item();
        AttributeValue sentAt = row.get(Ledger.timestampOf(MessageStatus.SENT));
        return sentAt != null ? Instant.parse(sentAt.s()).toEpochMilli()
                : SendFixture.sesAcceptedMillis(row.get("sesMessageId").s());
    }

    private static double percentile(List<Double> sorted, double p) {
        return sorted.get((int) Math.min(sorted.size() - 1, Math.ceil(p * sorted.size()) - 1));
    }
}
