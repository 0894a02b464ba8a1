package routes.send;

import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.springframework.stereotype.Component;

/**
 * This replica's send limit ({@code mailroutes.send.rate.limit}, calls per second, both lanes): the
 * dashboard sets it against the rate of {@code mailroutes.emails{outcome="sent"}}. And the share of the
 * cluster's 24-hour budget used ({@code mailroutes.send.quota.used}, a ratio): sending stops at 1. And, per lane,
 * the recipients waiting for an SES slot ({@code mailroutes.send.pacer.waiting}) and the time the slots were waited
 * for ({@code mailroutes.send.pacer.wait}): campaign recipients waiting long while the transactional lane takes
 * the slots are campaigns held back by transactional traffic.
 */
@Component
public class SendRateMeters implements MeterBinder {

    private final SendRate rate;
    private final SesCallPacer pacer;

    public SendRateMeters(SendRate rate, SesCallPacer pacer) {
        this.rate = rate;
        this.pacer = pacer;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        Gauge.builder("mailroutes.send.rate.limit", rate, SendRate::perSecondCap)
                .description("Calls per second this replica may start (configured rate, SES's rate, replicas, throttling)")
                .register(registry);
        Gauge.builder("mailroutes.send.quota.used", rate, SendRate::dailyBudgetUsed)
                .description("The cluster's mails of the last 24 hours over the limit (max-per-24h, SES's quota); 1 stops sending")
                .baseUnit("ratio").register(registry);
        for (SendLane lane : SendLane.values()) {
            String name = lane.name().toLowerCase(Locale.ROOT);
            Gauge.builder("mailroutes.send.pacer.waiting", pacer, p -> p.waiting(lane)).tag("lane", name)
                    .description("Recipients waiting for an SES slot now (the transactional lane is served first)")
                    .register(registry);
            FunctionTimer.builder("mailroutes.send.pacer.wait", pacer, p -> p.slotsGiven(lane), p -> p.secondsWaited(lane),
                            TimeUnit.SECONDS).tag("lane", name)
                    .description("Time recipients waited for their SES slots (count: slots handed out)")
                    .register(registry);
        }
    }
}
