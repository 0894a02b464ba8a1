package routes.localaws;

import ch.qos.logback.classic.Level;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.LoggerFactory;

/**
 * The embedded AWS in a child JVM, for measurements whose heap must be the application's alone:
 * IntakeBenchmark at -Xmx256m, where the emulated FIFO queue keeps every chunk it received for the
 * five-minute deduplication interval (as SQS does, on its own machines); and whose CPU must be the
 * application's alone (SendBenchmark, FeedbackBenchmark). Chosen with system property
 * {@value #PROPERTY}=true. The child exits when its standard input closes, so it dies with this JVM.
 */
public final class LocalAwsProcess {

    public static final String PROPERTY = "mailroutes.local-aws.fork";

    /** For benchmarks, before their Spring context starts: the embedded AWS in its own JVM unless told otherwise. */
    public static void forkUnlessSet() {
        if (System.getProperty(PROPERTY) == null) {
            System.setProperty(PROPERTY, "true");
        }
    }
    private static final String ENDPOINT = "local-aws endpoint ";
    private static final String READY = "local-aws ready";
    private static Map<String, URI> endpoints;
    private static Process process;

    private LocalAwsProcess() {
    }

    /** Starts the child on first use; returns its endpoints, keyed like {@code mailroutes.aws.endpoints.*}. */
    public static synchronized Map<String, URI> start(Path outbox) {
        if (endpoints == null) {
            endpoints = fork(outbox);
        }
        return endpoints;
    }

    /** CPU time the child has used so far (all its threads): the emulators' share of a benchmark. */
    public static synchronized Duration cpu() {
        if (process == null) {
            throw new IllegalStateException("embedded AWS not forked: set -D" + PROPERTY + "=true");
        }
        return process.info().totalCpuDuration().orElseThrow();
    }

    private static Map<String, URI> fork(Path outbox) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path")));
        for (String property : List.of(LocalAws.S3_DIR, LatencyProxy.PROPERTY, "sqlite4java.library.path")) {
            String value = System.getProperty(property);
            if (value != null) {
                command.add("-D" + property + "=" + value);
            }
        }
        command.add(LocalAwsProcess.class.getName());
        command.add(outbox.toAbsolutePath().toString());
        try {
            Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
            process = child;
            Runtime.getRuntime().addShutdownHook(new Thread(child::destroy, "local-aws-process-stop"));
            BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
            Map<String, URI> found = new HashMap<>();
            for (String line = out.readLine(); !READY.equals(line); line = out.readLine()) {
                if (line == null) {
                    throw new IllegalStateException("embedded AWS process exited with " + child.waitFor());
                }
                if (line.startsWith(ENDPOINT)) {
                    String[] serviceAndUri = line.substring(ENDPOINT.length()).split(" ");
                    found.put(serviceAndUri[0], URI.create(serviceAndUri[1]));
                } else {
                    System.out.println(line);
                }
            }
            Thread echo = new Thread(() -> out.lines().forEach(System.out::println), "local-aws-process-output");
            echo.setDaemon(true);
            echo.start();
            return Map.copyOf(found);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The child: starts the emulators, prints their endpoints, runs until its standard input closes. */
    public static void main(String[] args) throws IOException {
        // Without Spring Boot's logging setup logback would print every emulated request.
        ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).setLevel(Level.WARN);
        // DynamoDB Local logs every failed condition (our idempotency checks, expected) as a WARN with a stack trace,
        // which costs the emulator more CPU than the request, and the parent echoes every line.
        ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger(
                "com.amazonaws.services.dynamodbv2.local.server.LocalDynamoDBServerHandler")).setLevel(Level.ERROR);
        LocalAws aws = LocalAws.start(Path.of(args[0]));
        aws.endpoints().forEach((service, uri) -> System.out.println(ENDPOINT + service + " " + uri));
        System.out.println(READY);
        System.out.flush();
        while (System.in.read() != -1) {
            // nothing to read: the parent only ever closes this stream
        }
        System.exit(0);
    }
}
