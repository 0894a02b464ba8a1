package routes.localaws;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.StandardEnvironment;
import routes.ApplicationYaml;
import routes.Application;
import routes.webhooks.WebhookProperties;

/** What the local run ({@code mvn spring-boot:test-run}) gets from the embedded AWS set-up, which the tests share. */
class LocalAwsEnvironmentTest {

    @Test
    void theLocalRunKeepsProductionWebhookTimingsAndOnlyOpensTheTargetsItsReceiversNeed() {
        StandardEnvironment local = new StandardEnvironment();
        local.setActiveProfiles("local");
        local.getPropertySources().addLast(ApplicationYaml.source());

        new LocalAwsEnvironment().postProcessEnvironment(local, new SpringApplication(Application.class));

        WebhookProperties webhooks = Binder.get(local).bind("mailroutes.webhooks", WebhookProperties.class).get();
        assertThat(webhooks.retry().giveUpAfterSeconds()).isEqualTo(86400);
        assertThat(webhooks.retry().initialDelayMs()).isEqualTo(1000);
        assertThat(webhooks.circuit().minimumNumberOfCalls()).isEqualTo(10);
        assertThat(webhooks.circuit().slidingWindowSize()).isEqualTo(20);
        assertThat(webhooks.response().deadline()).hasSeconds(15);
        assertThat(webhooks.allowHttp()).isTrue();
        assertThat(webhooks.allowPrivateTargets()).isTrue();
        assertThat(webhooks.callbackSecrets()).containsExactly(LocalAwsEnvironment.LOCAL_CALLBACK_SECRET);
    }
}
