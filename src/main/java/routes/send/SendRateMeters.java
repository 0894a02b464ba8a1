package routes.send;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.springframework.stereotype.Component;

/**
 * This replica's send limit ({@code mailroutes.send.rate.limit}, calls per second, both lanes): the
 * dashboard sets it against the rate of {@code mailroutes.emails{outcome="sent"}}. And the share of the
 * cluster's 24-hour budget used ({@code mailroutes.send.quota.used}, a ratio): sending stops at 1.
 */
@Component
public class SendRateMeters implements MeterBinder {

    private final SendRate rate;

    public SendRateMeters(SendRate rate) {
        this.rate = rate;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        Gauge.builder("mailroutes.send.rate.limit", rate, SendRate::perSecondCap)
                .description("Calls per second this replica may start (configured rate, SES's rate, replicas, throttling)")
                .register(registry);
        Gauge.builder("mailroutes.send.quota.used", rate, SendRate::dailyBudgetUsed)
                .description("The cluster's mails of the last 24 hours over the limit (max-per-24h, SES's quota); 1 stops sending")
                .baseUnit("ratio").register(registry);
    }
}
