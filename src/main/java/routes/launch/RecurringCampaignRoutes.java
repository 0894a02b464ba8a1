package routes.launch;

import org.apache.camel.builder.RouteBuilder;
import org.springframework.stereotype.Component;

/**
 * One Quartz route per configured recurring campaign ({@code mailroutes.launch.recurring}). Java,
 * not YAML, because the number of routes comes from configuration; each is single-active like the
 * launcher, and does nothing but drop the firing's files into the inbox.
 */
@Component
public class RecurringCampaignRoutes extends RouteBuilder {

    private final LaunchProperties properties;
    private final RecurringCampaigns campaigns;

    public RecurringCampaignRoutes(LaunchProperties properties, RecurringCampaigns campaigns) {
        this.properties = properties;
        this.campaigns = campaigns;
    }

    @Override
    public void configure() {
        for (LaunchProperties.Recurring recurring : properties.recurring()) {
            from("master:mailroutes-recurring-" + recurring.name() + ":quartz:mailroutes-recurring/"
                    + recurring.name() + "?cron=" + recurring.cron().replace(' ', '+'))
                    .routeId("recurring-" + recurring.name())
                    .setBody(constant(recurring))
                    .bean(campaigns, "fire");
        }
    }
}
