package routes.crash;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import routes.localaws.LocalAwsEnvironment;
import routes.localaws.LocalSns;

/**
 * One mailroutes application in its own JVM (test classpath, main class {@code routes.Application}, profile
 * {@code local}) against an embedded AWS that runs elsewhere: {@code mailroutes.local-aws.enabled=false} keeps
 * it from starting a second one, and the endpoint properties point it at the forked one. Its output goes to a
 * log file; {@link #kill()} is SIGKILL, no shutdown hook runs.
 */
final class MailroutesJvm {

    private static final String STARTED = "Started Application in";

    private final Process process;
    private final Path log;

    private MailroutesJvm(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    /** Starts the JVM; {@code properties} are added as system properties after the harness's own. */
    static MailroutesJvm start(Map<String, URI> endpoints, Path lockRoot, Path log, Map<String, String> properties) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path")));
        endpoints.forEach((service, uri) -> command.add("-Dmailroutes.aws.endpoints." + service + "=" + uri));
        command.add("-Dmailroutes.local-aws.enabled=false");
        command.add("-Daws.accessKeyId=local");
        command.add("-Daws.secretAccessKey=local");
        command.add("-Dmailroutes.aws.region=us-east-1");
        command.add("-Dspring.profiles.active=local");
        command.add("-Dserver.port=0");
        command.add("-Dmanagement.server.port=0");
        // What LocalAwsEnvironment sets when it starts the embedded AWS itself: trust the forked SNS's own
        // signing certificate, and the local callback secret.
        command.add("-Dmailroutes.feedback.signing-cert-url-pattern="
                + Pattern.quote(LocalSns.certificateUrl(endpoints.get("sns")).toString()));
        command.add("-Dmailroutes.webhooks.callback-secrets=" + LocalAwsEnvironment.LOCAL_CALLBACK_SECRET);
        // master: routes (intake, launch) are single-active across every JVM sharing this lock directory.
        command.add("-Dcamel.cluster.file.root=" + lockRoot);
        properties.forEach((key, value) -> command.add("-D" + key + "=" + value));
        command.add("routes.Application");
        try {
            Files.createDirectories(log.getParent());
            Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly, "mailroutes-jvm-stop"));
            return new MailroutesJvm(process, log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Waits for Spring Boot's "Started" line; fails with the log's name if the JVM exits or takes too long. */
    void awaitStarted(Duration timeout) {
        await("mailroutes started (log " + log + ")").atMost(timeout).pollInterval(Duration.ofMillis(200)).until(() -> {
            if (!process.isAlive()) {
                throw new IllegalStateException("mailroutes exited with " + process.exitValue() + " before starting; see " + log);
            }
            return started();
        });
    }

    private boolean started() {
        try {
            return Files.readString(log, StandardCharsets.ISO_8859_1).contains(STARTED);
        } catch (IOException e) {
            return false;
        }
    }

    /** kill -9. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    /** SIGTERM: Spring Boot's graceful shutdown. */
    void stop() throws InterruptedException {
        process.destroy();
        process.waitFor();
    }

    long pid() {
        return process.pid();
    }
}
