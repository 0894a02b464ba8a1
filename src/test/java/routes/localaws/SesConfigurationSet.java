package routes.localaws;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;

/** An SES configuration set and its event destinations (only SNS destinations publish anything here). */
record SesConfigurationSet(String name, Map<String, EventDestination> destinations) {

    /**
     * @param matchingEventTypes as the API spells them: send, delivery, bounce, renderingFailure, ...
     * @param topicArn           null for CloudWatch or Firehose destinations, which this fake accepts and ignores
     */
    record EventDestination(String name, boolean enabled, List<String> matchingEventTypes, String topicArn) {}

    SesConfigurationSet(String name) {
        this(name, new ConcurrentSkipListMap<>());
    }

    /** The SNS topics of the enabled destinations that match the event type. */
    List<String> topicsFor(String eventType) {
        String wanted = eventType.toLowerCase(Locale.ROOT);
        return destinations.values().stream()
                .filter(d -> d.enabled() && d.topicArn() != null)
                .filter(d -> d.matchingEventTypes().stream().anyMatch(t -> t.toLowerCase(Locale.ROOT).equals(wanted)))
                .map(EventDestination::topicArn)
                .toList();
    }
}
