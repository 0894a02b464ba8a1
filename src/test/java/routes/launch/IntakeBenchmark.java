package routes.launch;

import static org.awaitility.Awaitility.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.Writer;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import routes.MailroutesTest;
import routes.aws.AwsProperties;
import routes.intake.CampaignBucket;
import routes.localaws.LocalAws;
import routes.localaws.LocalAwsProcess;
import routes.model.CampaignStatus;
import routes.store.Campaigns;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * Intake + launch of large generated files against the embedded AWS; prints rows/s, peak heap and
 * SQS calls per 1,000 recipients. Not part of the normal test run (surefire excludes *Benchmark);
 * the command is in docs/intake.md. Sizes: -Dbench.csv.rows and -Dbench.jsonl.rows (default
 * 1,000,000 each); 0 skips a format. The embedded AWS runs in a child JVM and its S3 keeps objects
 * in files, so the heap measured is the application's.
 */
@MailroutesTest
@Import(IntakeBenchmark.CallCounting.class)
class IntakeBenchmark {

    static {
        // Before the Spring context (and with it the embedded AWS) starts.
        if (System.getProperty(LocalAws.S3_DIR) == null) {
            System.setProperty(LocalAws.S3_DIR, "target/bench-s3");
        }
        System.setProperty(LocalAwsProcess.PROPERTY, "true");
    }

    /** Counts AWS calls by operation; the foundation adds every interceptor bean to every client. */
    @TestConfiguration
    static class CallCounting {
        static final Map<String, LongAdder> CALLS = new ConcurrentHashMap<>();

        @Bean
        ExecutionInterceptor callCounter() {
            return new ExecutionInterceptor() {
                @Override
                public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
                    CALLS.computeIfAbsent(attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME),
                            k -> new LongAdder()).increment();
                }
            };
        }
    }

    @Autowired
    S3Client s3;
    @Autowired
    SqsClient sqs;
    @Autowired
    AwsProperties aws;
    @Autowired
    Campaigns campaigns;
    @Autowired
    ProducerTemplate producer;
    @Autowired
    CamelContext camel;

    @Test
    void csvAndJsonl() throws Exception {
        int csvRows = Integer.getInteger("bench.csv.rows", 1_000_000);
        int jsonlRows = Integer.getInteger("bench.jsonl.rows", 1_000_000);
        System.out.printf("%nIntakeBenchmark, max heap %d MB%n", Runtime.getRuntime().maxMemory() >> 20);
        // Measured here: intake and launch. The send flow would take the chunks (and the CPU) meanwhile.
        camel.getRouteController().stopRoute("send-launched");
        run("csv", csvRows);
        run("jsonl", jsonlRows);
    }

    /**
     * Issue 11 §4: a file built to exhaust the heap is rejected with a report, and the heap stays below
     * its limit. Each file is generated on disk and streamed to S3, never held here. Size of the hostile
     * line or field: -Dbench.hostile.mb (default 800); of each of the JSON recipient's fifty strings:
     * -Dbench.hostile.json.mb (default 15).
     */
    @Test
    void hostileFiles() throws Exception {
        int mb = Integer.getInteger("bench.hostile.mb", 800);
        int stringMb = Integer.getInteger("bench.hostile.json.mb", 15);
        System.out.printf("%nIntakeBenchmark hostile files, max heap %d MB%n", Runtime.getRuntime().maxMemory() >> 20);
        hostile("jsonl", "one JSONL line of " + mb + " MB between two valid lines", out -> {
            out.write(jsonlLine("ann@example.org", "Ann"));
            out.write(jsonlHead("huge@example.org"));
            repeat(out, 'x', mb);
            out.write(JSONL_TAIL);
            out.write(jsonlLine("bob@example.org", "Bob"));
        });
        hostile("csv", "a CSV quoted field of " + mb + " MB (many lines) on line 3", out -> {
            out.write("email,firstName,city\nann@example.org,Ann,Oslo\nbob@example.org,Bob,\"");
            repeat(out, '\n', mb);
            out.write("\"\n");
        });
        hostile("json", "a JSON recipient with fifty strings of " + stringMb + " MB", out -> {
            out.write("{\"name\":\"hostile\",\"template\":\"welcome\",\"segments\":[{\"recipients\":[\n"
                    + "{\"email\":\"huge@example.org\",\"firstName\":\"H\"");
            for (int i = 0; i < 50; i++) {
                out.write(",\"v" + i + "\":\"");
                repeat(out, 'x', stringMb);
                out.write('"');
            }
            out.write("}\n]}]}\n");
        });
    }

    private interface Content {
        void write(Writer out) throws IOException;
    }

    private void hostile(String format, String what, Content content) throws Exception {
        String base = CampaignBucket.unique("hostile-" + format);
        Path file = Files.createTempFile("hostile", "." + format);
        try {
            try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
                content.write(out);
            }
            long bytes = Files.size(file);
            HeapPeak heap = HeapPeak.start();
            long start = System.nanoTime();
            s3.putObject(b -> b.bucket(aws.bucket()).key("inbox/" + base + "." + format), RequestBody.fromFile(file));
            Files.delete(file);
            double uploadSeconds = (System.nanoTime() - start) / 1e9;
            String reportKey = base + "." + format;
            if (format.equals("csv")) {
                reportKey = base + ".manifest.json";
                s3.putObject(b -> b.bucket(aws.bucket()).key("inbox/" + base + ".manifest.json"),
                        RequestBody.fromString("{\"template\":\"welcome\"}"));
            }
            start = System.nanoTime();
            JsonNode report = new CampaignBucket(s3, aws).awaitReport(reportKey, Duration.ofMinutes(20));
            double intakeSeconds = (System.nanoTime() - start) / 1e9;
            long peak = heap.stop();
            s3.deleteObject(b -> b.bucket(aws.bucket()).key("rejected/" + base + "." + format));

            JsonNode problem = report.path("problems").path(0);
            System.out.printf("%s: %s, %,d bytes%n  upload %.1f s, intake until report %.1f s, peak heap %d MB of %d MB%n"
                            + "  outcome %s: line %d, field '%s': %s%n", format, what, bytes, uploadSeconds, intakeSeconds,
                    peak >> 20, Runtime.getRuntime().maxMemory() >> 20, report.path("outcome").asText(),
                    problem.path("line").asLong(), problem.path("field").asText(), problem.path("reason").asText());
            assertThat(report.path("outcome").asText()).isEqualTo("REJECTED");
            assertThat(peak).isLessThan(Runtime.getRuntime().maxMemory());
        } finally {
            Files.deleteIfExists(file);
        }
    }

    /** A SendEmail line up to the value of {@code firstName} in its template data. */
    private static String jsonlHead(String to) {
        return "{\"FromEmailAddress\":\"news@example.com\",\"Destination\":{\"ToAddresses\":[\"" + to + "\"]},"
                + "\"Content\":{\"Template\":{\"TemplateName\":\"welcome\",\"TemplateData\":"
                + "\"{\\\"firstName\\\":\\\"";
    }

    private static final String JSONL_TAIL = "\\\"}\"}}}\n";

    private static String jsonlLine(String to, String firstName) {
        return jsonlHead(to) + firstName + JSONL_TAIL;
    }

    /** {@code mb} megabytes of {@code c}, written in pieces (a newline fills with short lines of x). */
    private static void repeat(Writer out, char c, int mb) throws IOException {
        char[] piece = new char[1 << 20];
        java.util.Arrays.fill(piece, 'x');
        if (c == '\n') {
            for (int i = 99; i < piece.length; i += 100) {
                piece[i] = '\n';
            }
        }
        for (int i = 0; i < mb; i++) {
            out.write(piece);
        }
    }

    private void run(String format, int rows) throws Exception {
        if (rows == 0) {
            return;
        }
        String base = CampaignBucket.unique("bench-" + format);
        String id = base.substring(0, 8) + "-bench-" + format;
        Path file = Files.createTempFile("bench", "." + format);
        try {
            generate(format, id, rows, file);
            long bytes = Files.size(file);
            String reportKey;
            if (format.equals("csv")) {
                s3.putObject(b -> b.bucket(aws.bucket()).key("inbox/" + base + ".csv"), RequestBody.fromFile(file));
                Files.delete(file);
                reportKey = base + ".manifest.json";
                s3.putObject(b -> b.bucket(aws.bucket()).key("inbox/" + reportKey),
                        RequestBody.fromString("{\"campaignId\":\"" + id + "\",\"template\":\"welcome\"}"));
            } else {
                reportKey = base + ".jsonl";
                s3.putObject(b -> b.bucket(aws.bucket()).key("inbox/" + reportKey), RequestBody.fromFile(file));
                Files.delete(file);
            }
            HeapPeak heap = HeapPeak.start();
            long start = System.nanoTime();
            CampaignBucket bucket = new CampaignBucket(s3, aws);
            String outcome = bucket.awaitReport(reportKey, Duration.ofMinutes(30)).path("outcome").asText();
            double intakeSeconds = (System.nanoTime() - start) / 1e9;
            long intakeHeap = heap.stop();

            CallCounting.CALLS.clear();
            Drain drain = Drain.start(sqs, aws);
            heap = HeapPeak.start();
            start = System.nanoTime();
            producer.sendBody("direct:launch-now", null);
            await().atMost(Duration.ofMinutes(30)).pollInterval(Duration.ofMillis(200))
                    .until(() -> campaigns.status(id).orElse(null) == CampaignStatus.SENDING);
            double launchSeconds = (System.nanoTime() - start) / 1e9;
            long launchHeap = heap.stop();
            long batches = CallCounting.CALLS.getOrDefault("SendMessageBatch", new LongAdder()).sum();
            await().atMost(Duration.ofMinutes(5)).until(() -> drain.messages() >= 1 && drain.idle());
            drain.stop();
            // Keep the embedded S3's files from piling up across runs.
            s3.listObjectsV2Paginator(b -> b.bucket(aws.bucket()).prefix("accepted/" + id + "/")).contents()
                    .forEach(o -> s3.deleteObject(b -> b.bucket(aws.bucket()).key(o.key())));

            System.out.println("  AWS calls during launch: " + CallCounting.CALLS);
            System.out.printf("%s: %,d rows, %,d bytes, outcome %s%n", format, rows, bytes, outcome);
            System.out.printf("  intake (validate + report): %.1f s, %,.0f rows/s, peak heap %d MB%n",
                    intakeSeconds, rows / intakeSeconds, intakeHeap >> 20);
            System.out.printf("  launch (stream + chunk + enqueue): %.1f s, %,.0f rows/s, peak heap %d MB%n",
                    launchSeconds, rows / launchSeconds, launchHeap >> 20);
            System.out.printf("  SQS SendMessageBatch calls: %d (%.2f per 1,000 recipients), chunks drained: %d%n",
                    batches, batches * 1000.0 / rows, drain.messages());
        } finally {
            Files.deleteIfExists(file);
        }
    }

    private static void generate(String format, String id, int rows, Path file) throws IOException {
        try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            if (format.equals("csv")) {
                out.write("email,firstName,city\n");
                for (int i = 0; i < rows; i++) {
                    out.write("user" + i + "@example.org,User" + i + ",Oslo\n");
                }
            } else {
                for (int i = 0; i < rows; i++) {
                    out.write("{\"FromEmailAddress\":\"news@example.com\",\"Destination\":{\"ToAddresses\":[\"user" + i
                            + "@example.org\"]},\"Content\":{\"Template\":{\"TemplateName\":\"welcome\",\"TemplateData\":"
                            + "\"{\\\"firstName\\\":\\\"User" + i + "\\\"}\"}},\"EmailTags\":[{\"Name\":\"campaignId\","
                            + "\"Value\":\"" + id + "\"}]}\n");
                }
            }
        }
    }

    /** Samples used heap every 20 ms; the peak is what a launch or intake needed at most (plus garbage). */
    private static final class HeapPeak {
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final AtomicLong peak = new AtomicLong();
        private final Thread thread;

        private HeapPeak() {
            MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
            thread = new Thread(() -> {
                while (running.get()) {
                    peak.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
                    try {
                        Thread.sleep(20);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "heap-peak");
            thread.setDaemon(true);
        }

        static HeapPeak start() {
            System.gc();
            HeapPeak heap = new HeapPeak();
            heap.thread.start();
            return heap;
        }

        long stop() throws InterruptedException {
            running.set(false);
            thread.join();
            return peak.get();
        }
    }

    /** Stands in for the send flow: deletes chunks as they arrive, so the embedded SQS stays small. */
    private static final class Drain {
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final AtomicLong messages = new AtomicLong();
        private final AtomicLong lastReceived = new AtomicLong(System.nanoTime());
        private final Thread thread;

        private Drain(SqsClient sqs, String url) {
            thread = new Thread(() -> {
                while (running.get()) {
                    var received = sqs.receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(10).waitTimeSeconds(1))
                            .messages();
                    if (!received.isEmpty()) {
                        messages.addAndGet(received.size());
                        lastReceived.set(System.nanoTime());
                        sqs.deleteMessageBatch(b -> b.queueUrl(url).entries(received.stream().map(Drain::entry).toList()));
                    }
                }
            }, "launch-queue-drain");
            thread.setDaemon(true);
        }

        static Drain start(SqsClient sqs, AwsProperties aws) {
            Drain drain = new Drain(sqs, sqs.getQueueUrl(b -> b.queueName(aws.queues().launch())).queueUrl());
            drain.thread.start();
            return drain;
        }

        private static DeleteMessageBatchRequestEntry entry(Message m) {
            return DeleteMessageBatchRequestEntry.builder().id(m.messageId()).receiptHandle(m.receiptHandle()).build();
        }

        long messages() {
            return messages.get();
        }

        boolean idle() {
            return System.nanoTime() - lastReceived.get() > 3_000_000_000L;
        }

        void stop() throws InterruptedException {
            running.set(false);
            thread.join();
        }
    }
}
