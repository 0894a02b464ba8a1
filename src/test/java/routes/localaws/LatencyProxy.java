package routes.localaws;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A loopback TCP relay in front of one emulator that holds every request back for a fixed time, so that a
 * benchmark sees the round trip of real AWS (5–20 ms per call) instead of a loopback's 0.1 ms. Chosen with
 * system property {@value #PROPERTY} (milliseconds) of the embedded AWS; the product knows nothing of it.
 *
 * <p>HTTP/1.1 on one connection is strictly request, response, request: the first bytes a client sends
 * after the emulator has answered start the next request, and only those are delayed, so each call pays
 * the latency once however many packets it takes. A call with {@code Expect: 100-continue} (S3 uploads)
 * pays it twice, as it does on a real network.
 */
final class LatencyProxy {

    static final String PROPERTY = "mailroutes.local-aws.latency-ms";

    private final ServerSocket listener;
    private final InetSocketAddress target;
    private final Duration latency;

    private LatencyProxy(URI target, Duration latency) throws IOException {
        this.listener = new ServerSocket(0, 200, InetAddress.getLoopbackAddress());
        this.target = new InetSocketAddress(target.getHost(), target.getPort());
        this.latency = latency;
    }

    /** The configured latency, zero when the property is absent. */
    static Duration configured() {
        return Duration.ofMillis(Long.getLong(PROPERTY, 0));
    }

    /** A running relay to {@code target}; returns the endpoint to use instead. */
    static URI inFrontOf(URI target, Duration latency) {
        try {
            LatencyProxy proxy = new LatencyProxy(target, latency);
            Thread accept = new Thread(proxy::accept, "latency-proxy-" + target.getPort());
            accept.setDaemon(true);
            accept.start();
            return URI.create("http://127.0.0.1:" + proxy.listener.getLocalPort());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void accept() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                Socket server = new Socket();
                server.connect(target);
                client.setTcpNoDelay(true);
                server.setTcpNoDelay(true);
                AtomicBoolean answered = new AtomicBoolean(true);
                relay(client, server, answered, true);
                relay(server, client, answered, false);
            } catch (IOException e) {
                // a client that went away before its connection was set up: nothing to relay
            }
        }
    }

    /** Copies one direction; requests wait for the latency, responses mark the connection as answered. */
    private void relay(Socket from, Socket to, AtomicBoolean answered, boolean requests) {
        Thread pump = new Thread(() -> {
            byte[] buffer = new byte[64 * 1024];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                    if (requests && answered.getAndSet(false)) {
                        Thread.sleep(latency.toMillis());
                    } else if (!requests) {
                        answered.set(true);
                    }
                    out.write(buffer, 0, n);
                    out.flush();
                }
            } catch (IOException | InterruptedException e) {
                // either side closed the connection: close the other below
            } finally {
                closeQuietly(from);
                closeQuietly(to);
            }
        }, "latency-proxy-" + (requests ? "request" : "response"));
        pump.setDaemon(true);
        pump.start();
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // already closed by the other direction
        }
    }
}
