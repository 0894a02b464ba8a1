package routes.ops;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.stereotype.Component;
import routes.model.CampaignStatus;
import routes.store.Campaigns;

/** Campaigns by status ({@code mailroutes.campaigns}), counted on the status index by route {@code metrics-poll}. */
@Component
public class CampaignStatusCounts {

    private final Campaigns campaigns;
    private final MeterRegistry registry;
    private final Map<CampaignStatus, AtomicLong> counts = new EnumMap<>(CampaignStatus.class);

    public CampaignStatusCounts(Campaigns campaigns, MeterRegistry registry) {
        this.campaigns = campaigns;
        this.registry = registry;
    }

    public synchronized void poll() {
        for (CampaignStatus status : CampaignStatus.values()) {
            long count = campaigns.countWithStatus(status);
            counts.computeIfAbsent(status, s -> {
                AtomicLong value = new AtomicLong();
                Gauge.builder("mailroutes.campaigns", value, AtomicLong::get).description("Campaigns by status")
                        .tag("status", s.name().toLowerCase(Locale.ROOT)).register(registry);
                return value;
            }).set(count);
        }
    }
}
