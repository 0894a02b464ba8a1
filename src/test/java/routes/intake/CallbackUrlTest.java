package routes.intake;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class CallbackUrlTest {

    @Test
    void anAbsoluteHttpsUrlWithAnOrdinaryQueryPasses() {
        assertThat(CallbackUrl.problem("https://hooks.example.org/in/spring?tenant=42&source=mailroutes")).isEmpty();
        assertThat(CallbackUrl.problem("http://127.0.0.1:9000/hook")).isEmpty();
    }

    @Test
    void eachBadUrlIsRefusedWithItsReason() {
        Map.of(
                "/relative/path", "must be an absolute http or https URL",
                "ftp://example.org/x", "must be an absolute http or https URL",
                "https:///no-host", "has no host",
                "https://user:secret@hooks.example.org/", "must not carry user info",
                "https://hooks.example.org/#frag", "must not have a fragment",
                "https://hooks.example.org/{{mailroutes.unsubscribe.secret}}", "not a valid URL",
                "https://hooks.example.org/in?httpMethod=GET", "query parameter 'httpMethod' is an option name",
                "https://hooks.example.org/in?a=1&CUSTOMHOSTHEADER=evil", "query parameter 'CUSTOMHOSTHEADER'",
                "https://hooks.example.org/in?proxy%48ost=evil", "query parameter 'proxyHost'",
                "https://hooks.example.org/in?httpClient.redirectsEnabled=true", "query parameter 'httpClient.redirectsEnabled'"
        ).forEach((url, reason) -> assertThat(CallbackUrl.problem(url)).as(url).hasValueSatisfying(p -> assertThat(p).contains(reason)));
        for (String option : new String[] {"okStatusCodeRange", "followRedirects", "bridgeEndpoint", "soTimeout", "responseTimeout",
                "connectTimeout", "x509HostnameVerifier", "sslContextParameters", "headerFilterStrategy", "throwExceptionOnFailure"}) {
            assertThat(CallbackUrl.problem("https://hooks.example.org/in?" + option + "=x")).as(option).isPresent();
        }
    }
}
