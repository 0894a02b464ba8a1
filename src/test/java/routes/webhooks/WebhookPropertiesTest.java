package routes.webhooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.validation.Validation;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.bind.validation.BindValidationException;
import org.springframework.boot.context.properties.bind.validation.ValidationBindHandler;
import org.springframework.validation.beanvalidation.SpringValidatorAdapter;
import routes.ApplicationYaml;

/** Binds {@code mailroutes.webhooks.*} the way start-up does (binder plus bean validation), without a context. */
class WebhookPropertiesTest {

    private static final String SECRET_24_BYTES = "whsec_MDEyMzQ1Njc4OWFiY2RlZmdoaWprbG1u";

    @Test
    void startUpFailsNamingTheKeyWhenCallbacksHaveNoSecret() {
        assertThatThrownBy(() -> bind(Map.of()))
                .satisfies(e -> assertThat(violations(e)).contains("mailroutes.webhooks.callbackSecrets: must not be empty"));
        assertThatThrownBy(() -> bind(Map.of("mailroutes.webhooks.callback-secrets", "")))
                .satisfies(e -> assertThat(violations(e)).contains("mailroutes.webhooks.callbackSecrets: must not be empty"));
    }

    @Test
    void aWhsecSecretMustBeBase64OfAtLeast24Bytes() {
        for (String bad : new String[] {"whsec_", "whsec_c2hvcnQ=", "whsec_not*base64*at*all*but*long*enough*", "whsec_MDEyMzQ1Njc4OWFiY2RlZmdoaWprbG1"}) {
            assertThatThrownBy(() -> bind(Map.of("mailroutes.webhooks.callback-secrets", bad))).as(bad)
                    .satisfies(e -> assertThat(violations(e)).contains("mailroutes.webhooks.callbackSecrets[0]")
                            .contains("base64 of at least 24 bytes"));
        }
        assertThat(bind(Map.of("mailroutes.webhooks.callback-secrets", SECRET_24_BYTES)).callbackSecrets())
                .containsExactly(SECRET_24_BYTES);
    }

    @Test
    void aSubscribersSecretsAreCheckedTheSameWay() {
        Map<String, String> properties = new HashMap<>(Map.of("mailroutes.webhooks.callback-secrets", SECRET_24_BYTES,
                "mailroutes.webhooks.subscribers[0].id", "crm",
                "mailroutes.webhooks.subscribers[0].url", "https://crm.example/hooks",
                "mailroutes.webhooks.subscribers[0].secrets[0]", "whsec_dG9vLXNob3J0"));
        assertThatThrownBy(() -> bind(properties))
                .satisfies(e -> assertThat(violations(e)).contains("mailroutes.webhooks.subscribers[0].secrets[0]"));
    }

    @Test
    void productionDefaultsAreHttpsOnlyWithAResponseDeadline() {
        WebhookProperties defaults = bind(Map.of("mailroutes.webhooks.callback-secrets", SECRET_24_BYTES));
        assertThat(defaults.allowHttp()).isFalse();
        assertThat(defaults.allowPrivateTargets()).isFalse();
        assertThat(defaults.response().deadline()).hasSeconds(15);
        assertThat(defaults.response().maxBytes()).isEqualTo(8192);
    }

    private static WebhookProperties bind(Map<String, String> properties) {
        Binder binder = ApplicationYaml.binder(properties);
        ValidationBindHandler validation = new ValidationBindHandler(
                new SpringValidatorAdapter(Validation.buildDefaultValidatorFactory().getValidator()));
        return binder.bindOrCreate("mailroutes.webhooks", Bindable.of(WebhookProperties.class), validation);
    }

    /** The failed keys and messages, as start-up reports them (BindValidationFailureAnalyzer: object name + field). */
    private static String violations(Throwable thrown) {
        assertThat(thrown).isInstanceOf(BindException.class).hasCauseInstanceOf(BindValidationException.class);
        return ((BindValidationException) thrown.getCause()).getValidationErrors().getAllErrors().stream()
                .map(error -> error instanceof org.springframework.validation.FieldError field
                        ? field.getObjectName() + "." + field.getField() + ": " + field.getDefaultMessage()
                        : error.toString())
                .reduce("", (a, b) -> a + "\n" + b);
    }
}
