package routes.send;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.support.StaticListableBeanFactory;
import routes.ApplicationYaml;

/**
 * The pacer's order: a free slot goes to a waiting transactional recipient before any campaign recipient, and
 * within a lane to the one that waited longest.
 */
class SesCallPacerTest {

    private final SendRate rate = new SendRate(ApplicationYaml.binder(Map.of())
            .bindOrCreate("mailroutes.send", SendProperties.class), null, Clock.systemUTC(), null);
    private final SesCallPacer pacer = new SesCallPacer(new StaticListableBeanFactory(Map.of("sendRate", rate))
            .getBeanProvider(SendRate.class));
    private final CamelContext camel = new DefaultCamelContext();
    /** One thread per recipient: a reservation belongs to the thread that made it. */
    private final ExecutorService first = Executors.newSingleThreadExecutor();
    private final ExecutorService second = Executors.newSingleThreadExecutor();
    private final ExecutorService campaign = Executors.newSingleThreadExecutor();
    private final ExecutorService transactional = Executors.newSingleThreadExecutor();

    @AfterEach
    void stop() {
        for (ExecutorService thread : new ExecutorService[] {first, second, campaign, transactional}) {
            thread.shutdownNow();
        }
    }

    @Test
    void aFreedSlotGoesToTheTransactionalRecipientThoughACampaignRecipientWaitedLonger() throws Exception {
        rate.setMaxRate(2);
        first.submit(() -> pacer.reserve(exchange(SendLane.CAMPAIGN))).get();
        second.submit(() -> pacer.reserve(exchange(SendLane.CAMPAIGN))).get();

        Future<?> campaignSlot = campaign.submit(() -> pacer.reserve(exchange(SendLane.CAMPAIGN)));
        Future<?> transactionalSlot = transactional.submit(() -> pacer.reserve(exchange(SendLane.TRANSACTIONAL)));
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2))
                .until(() -> !campaignSlot.isDone() && !transactionalSlot.isDone());

        first.submit(pacer::giveBack).get();
        await().atMost(Duration.ofSeconds(2)).until(transactionalSlot::isDone);
        assertThat(campaignSlot).as("the campaign recipient waits for the next slot").isNotDone();

        second.submit(pacer::giveBack).get();
        await().atMost(Duration.ofSeconds(2)).until(campaignSlot::isDone);
    }

    @Test
    void withinALaneTheRecipientThatWaitedLongestGetsTheFreedSlot() throws Exception {
        rate.setMaxRate(1);
        first.submit(() -> pacer.reserve(exchange(SendLane.CAMPAIGN))).get();
        Future<?> earlier = second.submit(() -> pacer.reserve(exchange(SendLane.CAMPAIGN)));
        await().during(Duration.ofMillis(200)).atMost(Duration.ofSeconds(2)).until(() -> !earlier.isDone());
        Future<?> later = campaign.submit(() -> pacer.reserve(exchange(SendLane.CAMPAIGN)));
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(() -> !later.isDone());

        first.submit(pacer::giveBack).get();
        await().atMost(Duration.ofSeconds(2)).until(earlier::isDone);
        assertThat(later).as("the later recipient waits for the next slot").isNotDone();

        second.submit(pacer::giveBack).get();
        await().atMost(Duration.ofSeconds(2)).until(later::isDone);
    }

    @Test
    void theMetersShowCampaignRecipientsWaitingAndForHowLongWhileTheTransactionalLaneHoldsTheSlots() throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        new SendRateMeters(rate, pacer).bindTo(registry);
        rate.setMaxRate(1);
        transactional.submit(() -> pacer.reserve(exchange(SendLane.TRANSACTIONAL))).get();

        Future<?> campaignSlot = campaign.submit(() -> pacer.reserve(exchange(SendLane.CAMPAIGN)));
        await().atMost(Duration.ofSeconds(2)).until(() -> waiting(registry, "campaign") == 1);
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(() -> !campaignSlot.isDone());
        transactional.submit(pacer::giveBack).get();
        await().atMost(Duration.ofSeconds(2)).until(campaignSlot::isDone);

        FunctionTimer campaignWait = registry.get("mailroutes.send.pacer.wait").tag("lane", "campaign").functionTimer();
        assertThat(campaignWait.count()).isEqualTo(1);
        assertThat(campaignWait.totalTime(TimeUnit.MILLISECONDS)).isGreaterThanOrEqualTo(300);
        assertThat(registry.get("mailroutes.send.pacer.wait").tag("lane", "transactional").functionTimer().count()).isEqualTo(1);
        assertThat(waiting(registry, "campaign")).isZero();
    }

    private static double waiting(SimpleMeterRegistry registry, String lane) {
        return registry.get("mailroutes.send.pacer.waiting").tag("lane", lane).gauge().value();
    }

    private Exchange exchange(SendLane lane) {
        Exchange exchange = new DefaultExchange(camel);
        exchange.setProperty(SendLane.PROPERTY, lane.name());
        return exchange;
    }
}
