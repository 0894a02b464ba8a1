package routes.send;

import org.apache.camel.LoggingLevel;
import org.apache.camel.Processor;
import org.apache.camel.processor.errorhandler.RedeliveryPolicy;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * How the send flow retries an SES call (send.yaml's {@code send-ses} configuration): Camel's redelivery
 * of the whole {@code send-attempt}, which waits for an SES slot and asks the campaign gate again, built
 * from {@code mailroutes.send.*} so each number is configured once. Redeliveries of one recipient share a
 * counter across both kinds of refusal.
 */
@Configuration(proxyBeanMethods = false)
public class SesRetries {

    /** SES answered Throttling: again after a short pause, at the halved rate. */
    @Bean
    RedeliveryPolicy sesThrottledRetries(SendProperties properties) {
        return quiet(new RedeliveryPolicy()
                .maximumRedeliveries(properties.maxThrottledRetries())
                .redeliveryDelay(100));
    }

    /** 5xx, timeouts, connection errors: {@code max-attempts} in all, the pause doubling from {@code retry-base-delay}. */
    @Bean
    RedeliveryPolicy sesTransientRetries(SendProperties properties) {
        return quiet(new RedeliveryPolicy()
                .maximumRedeliveries(properties.maxAttempts() - 1)
                .redeliveryDelay(properties.retryBaseDelay().toMillis())
                .useExponentialBackOff()
                .backOffMultiplier(2));
    }

    /** Before each redelivery after Throttling: the rate halves. */
    @Bean
    Processor sesThrottledBackOff(SesOutcomes outcomes) {
        return exchange -> outcomes.throttled(exchange.getMessage().getBody(RecipientInWork.class));
    }

    /** The ledger and the log say what happened to the recipient; Camel's own lines would repeat it. */
    private static RedeliveryPolicy quiet(RedeliveryPolicy policy) {
        return policy.retryAttemptedLogLevel(LoggingLevel.DEBUG).logExhausted(false).logRetryAttempted(false);
    }
}
