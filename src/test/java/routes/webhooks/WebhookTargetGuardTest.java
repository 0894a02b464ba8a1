package routes.webhooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.camel.component.http.HttpClientConfigurer;
import org.apache.hc.client5.http.DnsResolver;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClientBuilder;
import org.junit.jupiter.api.Test;

class WebhookTargetGuardTest {

    private final WebhookTargetGuard production = new WebhookTargetGuard(properties(false, false));

    @Test
    void internalAddressesAreRefusedWhereTheConnectionResolvesInProduction() {
        for (String host : List.of("127.0.0.1", "localhost", "10.1.2.3", "192.168.0.1", "172.16.5.5", "169.254.169.254",
                "::1", "fd00::1", "fe80::1", "0.0.0.0", "0.1.2.3", "100.64.0.1", "198.18.0.1", "198.19.255.254",
                "240.0.0.1", "255.255.255.255", "224.0.0.1", "::ffff:127.0.0.1", "::ffff:10.0.0.1", "::127.0.0.1",
                "::a00:1", "64:ff9b::7f00:1", "64:ff9b::a9fe:a9fe")) {
            assertThatThrownBy(() -> production.resolve(host)).as(host).isInstanceOf(UnknownHostException.class)
                    .hasCauseInstanceOf(ForbiddenWebhookTarget.class);
        }
    }

    @Test
    void publicAddressesResolve() throws UnknownHostException {
        for (String host : List.of("93.184.216.34", "198.20.0.1", "2606:2800:220:1:248:1893:25c8:1946", "::ffff:93.184.216.34")) {
            assertThat(production.resolve(host)).as(host).isNotEmpty();
        }
    }

    @Test
    void locallyPrivateAddressesPassButNeverTheUnroutableOnes() throws UnknownHostException {
        WebhookTargetGuard local = new WebhookTargetGuard(properties(true, true));
        assertThat(local.resolve("127.0.0.1")).isNotEmpty();
        for (String host : List.of("0.0.0.0", "240.0.0.1", "224.0.0.1")) {
            assertThatThrownBy(() -> local.resolve(host)).as(host).hasCauseInstanceOf(ForbiddenWebhookTarget.class);
        }
    }

    @Test
    void productionCallsHttpsOnlyAndNeverAUrlWithUserInfoOrAPlaceholder() {
        assertThatCode(() -> production.check("https://hooks.example.org/in?a=1")).doesNotThrowAnyException();
        for (String url : List.of("http://hooks.example.org/in", "https://user:pw@hooks.example.org/",
                "https://hooks.example.org/{{mailroutes.unsubscribe.secret}}", "file:///etc/passwd", "ftp://example.org/",
                "https:///no-host", "not a url")) {
            assertThatThrownBy(() -> production.check(url)).as(url).isInstanceOf(ForbiddenWebhookTarget.class);
        }
    }

    @Test
    void httpIsAllowedOnlyWhereConfigured() {
        WebhookTargetGuard local = new WebhookTargetGuard(properties(true, true));
        assertThatCode(() -> local.check("http://127.0.0.1:9000/hook")).doesNotThrowAnyException();
        for (String url : List.of("file:///etc/passwd", "gopher://x/", "not a url")) {
            assertThatThrownBy(() -> local.check(url)).as(url).isInstanceOf(ForbiddenWebhookTarget.class);
        }
    }

    /**
     * A rebinding name answers a public address first and loopback afterwards. The guard sits in the
     * client's connection, so whatever was looked up before, the address connected to is judged.
     */
    @Test
    void aNameThatRebindsToLoopbackIsRefusedAtConnectTime() throws Exception {
        AtomicInteger lookups = new AtomicInteger();
        DnsResolver rebinding = new DnsResolver() {
            @Override
            public InetAddress[] resolve(String host) throws UnknownHostException {
                String answer = lookups.getAndIncrement() == 0 ? "93.184.216.34" : "127.0.0.1";
                return new InetAddress[] {InetAddress.getByName(answer)};
            }

            @Override
            public String resolveCanonicalHostname(String host) {
                return host;
            }
        };
        WebhookTargetGuard guard = new WebhookTargetGuard(properties(false, false), rebinding);
        assertThat(guard.resolve("rebind.example")).extracting(InetAddress::getHostAddress).containsExactly("93.184.216.34");
        try (WebhookPeer peer = new WebhookPeer();
             WebhookHttpClient configurer = new WebhookHttpClient(guard, properties(false, false));
             CloseableHttpClient client = client(configurer)) {
            String url = peer.script("/rebound", 200).replace("127.0.0.1", "rebind.example");

            assertThatThrownBy(() -> client.execute(new HttpPost(url), response -> response.getCode()))
                    .isInstanceOf(UnknownHostException.class).hasCauseInstanceOf(ForbiddenWebhookTarget.class);
            assertThat(peer.received("/rebound")).isEmpty();
        }
    }

    private static CloseableHttpClient client(HttpClientConfigurer configurer) {
        HttpClientBuilder builder = HttpClientBuilder.create();
        configurer.configureHttpClient(builder);
        return builder.build();
    }

    static WebhookProperties properties(boolean allowPrivate, boolean allowHttp) {
        return new WebhookProperties(List.of(), List.of("callback-secret"), allowPrivate, allowHttp,
                new WebhookProperties.Response(Duration.ofSeconds(2), 8192, Duration.ofSeconds(2)),
                new WebhookProperties.Retry(1000, 5, 60, 86400),
                new WebhookProperties.Circuit(50, 10, 20, 60));
    }
}
