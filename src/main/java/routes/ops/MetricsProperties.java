package routes.ops;

import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * The metrics flow (docs/metrics.md).
 *
 * @param pollInterval how often the leader reads every queue's depth and counts campaigns by status
 */
@Validated
@ConfigurationProperties("mailroutes.metrics")
public record MetricsProperties(@NotNull Duration pollInterval) {

    public MetricsProperties {
        if (pollInterval != null && pollInterval.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new IllegalArgumentException("mailroutes.metrics.poll-interval must be at least 1s, was " + pollInterval);
        }
    }
}
