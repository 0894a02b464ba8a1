package routes.webhooks;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A webhook subscriber on loopback (a test peer, not a mock): every path answers from its script of
 * status codes, the last one repeating (a 3xx points {@code Location} at {@code <path>-moved}), and
 * records what it received. A path can also drip its answer or flood it with an endless body.
 */
public final class WebhookPeer implements AutoCloseable {

    public record Received(String path, String query, String method, Map<String, List<String>> headers, byte[] bytes,
                           int answered) {
        public String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> e.getValue().get(0)).findFirst().orElse(null);
        }

        public String body() {
            return new String(bytes, StandardCharsets.UTF_8);
        }

        /**
         * The Standard Webhooks verification, as a receiver runs it on the raw bytes it got: HMAC-SHA256
         * with the base64-decoded {@code whsec_} secret over {@code id.timestamp.body}, compared in
         * constant time with each {@code v1} signature; the timestamp within 5 minutes.
         */
        public boolean signedWith(String whsecSecret) {
            try {
                long timestamp = Long.parseLong(header("webhook-timestamp"));
                if (Duration.between(Instant.ofEpochSecond(timestamp), Instant.now()).abs().toMinutes() >= 5) {
                    return false;
                }
                Mac mac = Mac.getInstance("HmacSHA256");
                mac.init(new SecretKeySpec(Base64.getDecoder().decode(whsecSecret.substring("whsec_".length())), "HmacSHA256"));
                mac.update((header("webhook-id") + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8));
                byte[] expected = Base64.getEncoder().encode(mac.doFinal(bytes));
                return Arrays.stream(header("webhook-signature").split(" ")).map(s -> s.split(",", 2))
                        .anyMatch(s -> s.length == 2 && s[0].equals("v1")
                                && MessageDigest.isEqual(s[1].getBytes(StandardCharsets.US_ASCII), expected));
            } catch (GeneralSecurityException | RuntimeException e) {
                return false;
            }
        }
    }

    private interface Answer {
        void send(HttpExchange exchange, int status) throws IOException;
    }

    private final HttpServer server;
    private final ExecutorService threads = Executors.newFixedThreadPool(8);
    private final Map<String, List<Integer>> scripts = new ConcurrentHashMap<>();
    private final Map<String, Answer> answers = new ConcurrentHashMap<>();
    private final List<Received> received = new CopyOnWriteArrayList<>();

    public WebhookPeer() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(threads);
        server.createContext("/", exchange -> {
            String path = exchange.getRequestURI().getPath();
            byte[] body = exchange.getRequestBody().readAllBytes();
            int status = nextStatus(path);
            received.add(new Received(path, exchange.getRequestURI().getRawQuery(), exchange.getRequestMethod(),
                    Map.copyOf(exchange.getRequestHeaders()), body, status));
            try {
                answers.getOrDefault(path, WebhookPeer::plain).send(exchange, status);
            } catch (IOException hungUp) {
                // The client closed the connection (a cut or a cap): nothing left to answer.
            } finally {
                exchange.close();
            }
        });
        server.start();
    }

    /** The URL of {@code path}, answering {@code statuses} in turn (the last one forever). */
    public String script(String path, Integer... statuses) {
        scripts.put(path, new CopyOnWriteArrayList<>(statuses));
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    /** The URL of {@code path}, answering 200 and then one body byte every 100 ms until the client hangs up. */
    public String drip(String path) {
        answers.put(path, (exchange, status) -> {
            exchange.sendResponseHeaders(status, 0);
            OutputStream out = exchange.getResponseBody();
            while (true) {
                out.write(' ');
                out.flush();
                pause();
            }
        });
        return script(path, 200);
    }

    /**
     * The URL of {@code path}, answering {@code status} with a body that never ends: 8 KB every 100 ms
     * until the client hangs up (fast enough that no read waits long, slow enough not to fill a disk).
     */
    public String flood(String path, int status) {
        answers.put(path, (exchange, answered) -> {
            exchange.sendResponseHeaders(answered, 0);
            OutputStream out = exchange.getResponseBody();
            byte[] chunk = new byte[8192];
            Arrays.fill(chunk, (byte) 'x');
            while (true) {
                out.write(chunk);
                out.flush();
                pause();
            }
        });
        return script(path, status);
    }

    public List<Received> received(String path) {
        return received.stream().filter(r -> r.path().equals(path)).toList();
    }

    private synchronized int nextStatus(String path) {
        List<Integer> script = scripts.getOrDefault(path, List.of(404));
        return script.size() > 1 ? script.remove(0) : script.get(0);
    }

    private static void plain(HttpExchange exchange, int status) throws IOException {
        if (status >= 300 && status < 400) {
            exchange.getResponseHeaders().add("Location", exchange.getRequestURI().getPath() + "-moved");
        }
        exchange.sendResponseHeaders(status, -1);
    }

    /** The pace of a dripping or flooding answer (it simulates a slow server; it waits for no result). */
    private static void pause() throws IOException {
        try {
            TimeUnit.MILLISECONDS.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("peer stopped", e);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
