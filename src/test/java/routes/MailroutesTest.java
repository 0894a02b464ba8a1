package routes;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;

/**
 * The whole application on the embedded AWS. Every integration test uses exactly this set-up so
 * that one Spring context (and one set of consumers) serves the whole suite. The properties are the
 * suite's alone (the local run keeps production's): webhook retries, breaker and response deadline
 * short enough that a failing subscriber settles within seconds, and an empty integration routes directory
 * under reload. Metrics export stays on as in production
 * (Spring Boot tests turn it off by default), so the suite can scrape {@code /actuator/prometheus}.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@CamelSpringBootTest
@AutoConfigureObservability(tracing = false)
@SpringBootTest(classes = Application.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "mailroutes.webhooks.retry.initial-delay-ms=50",
        "mailroutes.webhooks.retry.durable-delay-seconds=1",
        "mailroutes.webhooks.retry.give-up-after-seconds=3",
        "mailroutes.webhooks.circuit.minimum-number-of-calls=4",
        "mailroutes.webhooks.circuit.sliding-window-size=4",
        "mailroutes.webhooks.circuit.wait-duration-in-open-state=30",
        "mailroutes.webhooks.response.deadline=2s",
        // A fresh, watched integration routes directory per run: a file a test left behind must not
        // decide whether the next run starts (routes.integrations tests write into it).
        "mailroutes.routes.dir=target/test-routes/${random.uuid}",
        "mailroutes.routes.reload=true"})
public @interface MailroutesTest {
}
