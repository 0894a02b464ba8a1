package routes.localaws;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A JDK {@link HttpServer} on a free loopback port that dispatches AWS Query requests ({@code Action=…}) to
 * handlers and always answers: a handler's {@link AwsQueryException} becomes the AWS error XML, anything else
 * a 500 {@code InternalFailure}, so an SDK client never waits on a request the fake could not handle.
 */
final class AwsQueryServer implements AutoCloseable {

    static {
        // Without TCP_NODELAY, Nagle plus delayed ACKs cap the JDK server at about 23 requests/s.
        // The property is read once, when the first HttpServer of the JVM is created.
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    /** One Query action: reads the request parameters and writes the content of {@code <ActionResult>}. */
    @FunctionalInterface
    interface Action {
        Consumer<AwsXml> handle(QueryParams params);
    }

    private static final Logger LOG = LoggerFactory.getLogger(AwsQueryServer.class);
    private static final int THREADS = 8;

    private final String namespace;
    private final Map<String, Action> actions;
    private final HttpServer server;
    private final ExecutorService executor;

    AwsQueryServer(String name, String namespace, Map<String, Action> actions) {
        this.namespace = namespace;
        this.actions = Map.copyOf(actions);
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot open a loopback port for " + name, e);
        }
        executor = Executors.newFixedThreadPool(THREADS, daemonThreads(name));
        server.setExecutor(executor);
        server.createContext("/", this::exchange);
    }

    void start() {
        server.start();
    }

    /** Serves {@code body} on GET {@code path}, beside the Query actions. */
    void serve(String path, String contentType, byte[] body) {
        server.createContext(path, http -> {
            try (http) {
                http.getResponseHeaders().set("Content-Type", contentType);
                http.sendResponseHeaders(200, body.length);
                http.getResponseBody().write(body);
            }
        });
    }

    URI endpoint() {
        InetSocketAddress address = server.getAddress();
        return URI.create("http://" + address.getAddress().getHostAddress() + ":" + address.getPort());
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    private void exchange(HttpExchange http) {
        String requestId = UUID.randomUUID().toString();
        try (http) {
            Reply reply = reply(http, requestId);
            byte[] body = reply.xml().getBytes(StandardCharsets.UTF_8);
            http.getResponseHeaders().set("Content-Type", "text/xml; charset=UTF-8");
            http.getResponseHeaders().set("x-amzn-RequestId", requestId);
            http.sendResponseHeaders(reply.status(), body.length);
            http.getResponseBody().write(body);
        } catch (IOException e) {
            LOG.debug("Client went away before the answer to request {}", requestId, e);
        }
    }

    private Reply reply(HttpExchange http, String requestId) {
        String action = null;
        try {
            String body = new String(http.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            QueryParams params = QueryParams.parse(http.getRequestURI().getRawQuery(), body);
            action = params.require("Action");
            Action handler = actions.get(action);
            if (handler == null) {
                throw AwsQueryException.invalidAction(action);
            }
            return new Reply(200, AwsXml.success(namespace, action, requestId, handler.handle(params)));
        } catch (AwsQueryException e) {
            LOG.debug("{} answered {}: {}", action, e.code(), e.getMessage());
            return new Reply(e.status(), AwsXml.error(namespace, e, requestId));
        } catch (Exception e) {
            LOG.warn("{} failed inside the local fake", action, e);
            AwsQueryException failure = new AwsQueryException(500, "InternalFailure", String.valueOf(e));
            return new Reply(500, AwsXml.error(namespace, failure, requestId));
        }
    }

    private static ThreadFactory daemonThreads(String name) {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, name + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    private record Reply(int status, String xml) {}
}
