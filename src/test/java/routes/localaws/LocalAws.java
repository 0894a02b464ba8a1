package routes.localaws;

import com.amazonaws.services.dynamodbv2.local.main.ServerRunner;
import com.amazonaws.services.dynamodbv2.local.server.DynamoDBProxyServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import org.elasticmq.rest.sqs.SQSRestServer;
import org.elasticmq.rest.sqs.SQSRestServerBuilder;
import org.gaul.s3proxy.BlobStores;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The embedded AWS of the local run and the tests, started once per JVM on free loopback ports:
 * ElasticMQ (SQS), DynamoDB Local, S3Proxy, and the project's own SNS and SES endpoints. With system
 * property {@value LatencyProxy#PROPERTY} each endpoint answers that many milliseconds late, as real AWS does.
 */
public final class LocalAws {

    public static final String REGION = "us-east-1";
    public static final String ACCOUNT = "000000000000";
    public static final String ACCESS_KEY = "local";

    private static final Logger LOG = LoggerFactory.getLogger(LocalAws.class);
    /** System property: directory for the embedded S3's objects instead of the heap. */
    public static final String S3_DIR = "mailroutes.local-aws.s3-dir";
    private static LocalAws instance;

    private final SQSRestServer elasticMq;
    private final DynamoDBProxyServer dynamo;
    private final S3Proxy s3;
    private final SqsClient sqsClient;
    private final LocalSns sns;
    private final LocalSes ses;
    private final Map<String, URI> endpoints = new LinkedHashMap<>();
    private final Path outbox;

    private LocalAws(Path outbox) throws Exception {
        long started = System.nanoTime();
        this.outbox = outbox;
        Files.createDirectories(outbox);
        emptyOutbox(outbox);
        elasticMq = SQSRestServerBuilder.withInterface("127.0.0.1").withDynamicPort()
                .withAWSRegion(REGION).withAWSAccountId(ACCOUNT).start();
        URI sqs = loopback(elasticMq.waitUntilStarted().localAddress().getPort());

        int dynamoPort = freePort();
        dynamo = ServerRunner.createServerFromCommandLineArgs(
                new String[] {"-inMemory", "-port", String.valueOf(dynamoPort), "-disableTelemetry"});
        dynamo.start();

        URI s3Endpoint = loopback(freePort());
        s3 = S3Proxy.builder()
                .blobStore(blobStore())
                .endpoint(s3Endpoint)
                .awsAuthentication(AuthenticationType.NONE, null, null)
                .build();
        s3.start();

        sqsClient = SqsClient.builder()
                .region(Region.of(REGION))
                .endpointOverride(sqs)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, ACCESS_KEY)))
                .httpClient(ApacheHttpClient.create())
                .build();
        sns = new LocalSns(sqsClient, REGION, ACCOUNT);
        sns.start();
        ses = new LocalSes(sns, outbox, REGION, ACCOUNT);
        ses.start();

        endpoints.put("s3", s3Endpoint);
        endpoints.put("sqs", sqs);
        endpoints.put("sns", sns.endpoint());
        endpoints.put("ses", ses.endpoint());
        endpoints.put("dynamodb", loopback(dynamoPort));
        Duration latency = LatencyProxy.configured();
        if (!latency.isZero()) {
            endpoints.replaceAll((service, endpoint) -> LatencyProxy.inFrontOf(endpoint, latency));
            sns.reachedAt(endpoints.get("sns"));
            LOG.warn("Embedded AWS answers every call {} ms late ({})", latency.toMillis(), LatencyProxy.PROPERTY);
        }
        LOG.info("Embedded AWS up in {} ms: {}", (System.nanoTime() - started) / 1_000_000, endpoints);
        Runtime.getRuntime().addShutdownHook(new Thread(this::stop, "local-aws-stop"));
    }

    /** Like the rest of the embedded AWS, the outbox starts empty: mails of earlier runs would only confuse. */
    private static void emptyOutbox(Path outbox) throws IOException {
        try (var mails = Files.newDirectoryStream(outbox, "*.eml")) {
            for (Path mail : mails) {
                Files.delete(mail);
            }
        }
    }

    /**
     * In memory, unless system property {@value #S3_DIR} names a directory: then objects are files
     * there and large ones stay out of the heap (IntakeBenchmark at -Xmx256m). Emptied first, like the
     * outbox: a file left in {@code inbox/} by an interrupted run would become a campaign again.
     */
    private static BlobStore blobStore() throws IOException {
        String dir = System.getProperty(S3_DIR);
        Properties store = new Properties();
        if (dir == null) {
            return BlobStores.create("transient", store);
        }
        Path base = Path.of(dir).toAbsolutePath();
        if (Files.exists(base)) {
            try (var tree = Files.walk(base)) {
                for (Path path : tree.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(path);
                }
            }
        }
        Files.createDirectories(base);
        store.setProperty("jclouds.filesystem.basedir", base.toString());
        LOG.info("Embedded S3 stores objects under {}", base);
        return BlobStores.create("filesystem", store);
    }

    /** The running embedded AWS, started on first use with its outbox under {@code outbox}. */
    public static synchronized LocalAws start(Path outbox) {
        if (instance == null) {
            try {
                instance = new LocalAws(outbox.toAbsolutePath());
            } catch (Exception e) {
                throw new IllegalStateException("Embedded AWS failed to start", e);
            }
        }
        return instance;
    }

    public static synchronized LocalAws get() {
        if (instance == null) {
            throw new IllegalStateException("Embedded AWS not started: no Spring context with it has run in this JVM");
        }
        return instance;
    }

    /** Endpoint per service, keyed like {@code mailroutes.aws.endpoints.*}. */
    public Map<String, URI> endpoints() {
        return Map.copyOf(endpoints);
    }

    public LocalSns sns() {
        return sns;
    }

    public LocalSes ses() {
        return ses;
    }

    public Path outbox() {
        return outbox;
    }

    private void stop() {
        ses.close();
        sns.close();
        sqsClient.close();
        try {
            s3.stop();
            dynamo.stop();
        } catch (Exception e) {
            LOG.debug("Embedded AWS stopped with an error", e);
        }
        elasticMq.stopAndWait();
    }

    private static URI loopback(int port) {
        return URI.create("http://127.0.0.1:" + port);
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
