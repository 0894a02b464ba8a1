package routes.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class CounterDeltasTest {

    private final Map<String, AtomicLong> written = new ConcurrentHashMap<>();

    @Test
    void everyAddRacingWithFlushesIsWrittenExactlyOnce() throws InterruptedException {
        CounterDeltas deltas = new CounterDeltas((campaign, counts) -> counts.forEach((name, delta) ->
                written.computeIfAbsent(campaign + "/" + name, k -> new AtomicLong()).addAndGet(delta)));
        int threads = 4;
        int addsPerThread = 200_000;
        CountDownLatch start = new CountDownLatch(1);
        AtomicBoolean adding = new AtomicBoolean(true);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        AtomicInteger done = new AtomicInteger();
        for (int t = 0; t < threads; t++) {
            pool.execute(() -> {
                await(start);
                for (int i = 0; i < addsPerThread; i++) {
                    deltas.add("news.v2:x", i % 2 == 0 ? "complained" : "delivered", 1);
                }
                if (done.incrementAndGet() == threads) {
                    adding.set(false);
                }
            });
        }
        start.countDown();
        int flushes = 0;
        while (adding.get()) {
            deltas.write("news.v2:x");
            flushes++;
        }
        pool.shutdown();
        assertThat(pool.awaitTermination(1, TimeUnit.MINUTES)).isTrue();
        deltas.write("news.v2:x");

        assertThat(flushes).isGreaterThan(1);
        assertThat(written.get("news.v2:x/complained").get()).isEqualTo(threads * addsPerThread / 2L);
        assertThat(written.get("news.v2:x/delivered").get()).isEqualTo(threads * addsPerThread / 2L);
    }

    @Test
    void aFailedWriteKeepsItsDeltasForTheNextOne() {
        AtomicBoolean fail = new AtomicBoolean(true);
        CounterDeltas deltas = new CounterDeltas((campaign, counts) -> {
            if (fail.get()) {
                throw new IllegalStateException("DynamoDB unavailable");
            }
            counts.forEach((name, delta) -> written.computeIfAbsent(name, k -> new AtomicLong()).addAndGet(delta));
        });
        deltas.add("c", "bounced", 2);

        try {
            deltas.write("c");
        } catch (IllegalStateException expected) {
            deltas.add("c", "bounced", 1);
        }
        fail.set(false);
        deltas.write("c");

        assertThat(written.get("bounced").get()).isEqualTo(3);
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
