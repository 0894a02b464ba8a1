package routes.webhooks;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class WebhookTargetGuardTest {

    private final WebhookTargetGuard production = new WebhookTargetGuard(properties(false));

    @Test
    void internalTargetsAreRefusedInProduction() {
        for (String url : List.of("http://127.0.0.1/hook", "http://localhost:8080/x", "http://10.1.2.3/", "http://192.168.0.1/",
                "http://172.16.5.5/", "http://169.254.169.254/latest/meta-data", "http://[::1]/", "http://[fd00::1]/",
                "http://0.0.0.0/", "http://100.64.0.1/")) {
            assertThatThrownBy(() -> production.check(url)).as(url).isInstanceOf(ForbiddenWebhookTarget.class);
        }
    }

    @Test
    void onlyHttpAndHttpsAreAllowedEvenLocally() {
        WebhookTargetGuard local = new WebhookTargetGuard(properties(true));
        assertThatCode(() -> local.check("http://127.0.0.1:9000/hook")).doesNotThrowAnyException();
        for (String url : List.of("file:///etc/passwd", "ftp://example.org/", "gopher://x/", "not a url")) {
            assertThatThrownBy(() -> local.check(url)).as(url).isInstanceOf(ForbiddenWebhookTarget.class);
        }
    }

    @Test
    void aPublicAddressPasses() {
        assertThatCode(() -> production.check("https://93.184.216.34/hook")).doesNotThrowAnyException();
    }

    private static WebhookProperties properties(boolean allowPrivate) {
        return new WebhookProperties(List.of(), List.of(), allowPrivate, new WebhookProperties.Retry(1000, 5, 60, 86400),
                new WebhookProperties.Circuit(50, 10, 20, 60));
    }
}
