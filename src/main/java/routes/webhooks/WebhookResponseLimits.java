package routes.webhooks;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.hc.client5.http.classic.ExecChain;
import org.apache.hc.client5.http.classic.ExecChainHandler;
import org.apache.hc.core5.http.ClassicHttpRequest;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.HttpException;
import org.apache.hc.core5.http.io.entity.HttpEntityWrapper;

/**
 * Bounds one webhook exchange. The socket timeout only bounds the wait for each packet, so a subscriber
 * dripping a byte a second would hold a thread for ever: a timer closes the connection when the
 * deadline passes, whatever phase the exchange is in. A body is read up to the cap and the rest is never
 * read: closing a body early closes the connection instead of draining it (HttpClient would drain).
 */
final class WebhookResponseLimits implements ExecChainHandler, AutoCloseable {

    private final Duration deadline;
    private final int maxBytes;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread thread = new Thread(task, "webhook-deadline");
        thread.setDaemon(true);
        return thread;
    });

    WebhookResponseLimits(WebhookProperties.Response limits) {
        this.deadline = limits.deadline();
        this.maxBytes = limits.maxBytes();
    }

    @Override
    public ClassicHttpResponse execute(ClassicHttpRequest request, ExecChain.Scope scope, ExecChain chain)
            throws IOException, HttpException {
        Exchange exchange = new Exchange(scope);
        ClassicHttpResponse response;
        try {
            response = chain.proceed(request, scope);
        } catch (IOException | RuntimeException e) {
            exchange.endFailed();
            throw e;
        }
        if (response.getEntity() == null) {
            exchange.end();
        } else {
            response.setEntity(new LimitedEntity(response.getEntity(), exchange));
        }
        return response;
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }

    /** One request and its response: the deadline timer and the connection it cuts. */
    private final class Exchange {

        private final ExecChain.Scope scope;
        private final AtomicBoolean cut = new AtomicBoolean();
        private final ScheduledFuture<?> timeout;

        Exchange(ExecChain.Scope scope) {
            this.scope = scope;
            this.timeout = timer.schedule(() -> {
                cut.set(true);
                scope.execRuntime.discardEndpoint();
            }, deadline.toMillis(), TimeUnit.MILLISECONDS);
        }

        /** Ends a failed exchange; a failure the deadline's timer caused becomes the cut. */
        void endFailed() throws WebhookResponseCut {
            end();
            if (cut.get()) {
                throw new WebhookResponseCut(deadline);
            }
        }

        void end() {
            timeout.cancel(false);
        }

        void abandon() {
            end();
            scope.execRuntime.discardEndpoint();
        }
    }

    private final class LimitedEntity extends HttpEntityWrapper {

        private final Exchange exchange;
        private LimitedStream content;

        LimitedEntity(HttpEntity wrapped, Exchange exchange) {
            super(wrapped);
            this.exchange = exchange;
        }

        @Override
        public synchronized InputStream getContent() throws IOException {
            if (content == null) {
                content = new LimitedStream(super.getContent(), exchange);
            }
            return content;
        }

        @Override
        public long getContentLength() {
            long length = super.getContentLength();
            return length <= maxBytes ? length : -1;
        }

        @Override
        public void writeTo(OutputStream out) throws IOException {
            try (InputStream in = getContent()) {
                in.transferTo(out);
            }
        }

        @Override
        public void close() throws IOException {
            getContent().close();
        }
    }

    private final class LimitedStream extends FilterInputStream {

        private final Exchange exchange;
        private long read;
        private boolean ended;
        private boolean closed;

        LimitedStream(InputStream in, Exchange exchange) {
            super(in);
            this.exchange = exchange;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            if (read >= maxBytes || ended) {
                return -1;
            }
            int n;
            try {
                n = super.read(buffer, offset, (int) Math.min(length, maxBytes - read));
            } catch (IOException | RuntimeException e) {
                exchange.endFailed();
            throw e;
            }
            if (n < 0) {
                ended = true;
                exchange.end();
            } else {
                read += n;
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            return super.skip(Math.min(n, Math.max(0, maxBytes - read)));
        }

        @Override
        public int available() throws IOException {
            return (int) Math.min(super.available(), Math.max(0, maxBytes - read));
        }

        @Override
        public void close() throws IOException {
            if (closed) {
                return;
            }
            closed = true;
            if (ended) {
                super.close();
            } else {
                exchange.abandon();
            }
        }
    }
}
