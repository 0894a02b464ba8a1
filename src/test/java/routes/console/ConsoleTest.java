package routes.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static routes.api.ApiRequests.KEY;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.htmlunit.BrowserVersion;
import org.htmlunit.WebClient;
import org.htmlunit.html.DomElement;
import org.htmlunit.html.DomNode;
import org.htmlunit.html.HtmlButton;
import org.htmlunit.html.HtmlInput;
import org.htmlunit.html.HtmlPage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpEntity;
import org.springframework.http.HttpMethod;
import org.springframework.http.ResponseEntity;
import routes.MailroutesTest;
import routes.api.ApiRequests;
import routes.aws.AwsProperties;
import routes.intake.CampaignBucket;
import routes.send.SendRate;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The console as its user drives it, in a real browser engine (HtmlUnit: DOM, CSS and JavaScript, no display)
 * against the application on the embedded AWS: the page, its script and Chart.js as served, the API behind them.
 */
@MailroutesTest
class ConsoleTest {

    private static final Duration SEND = Duration.ofSeconds(90);

    @LocalServerPort int port;
    @Autowired S3Client s3;
    @Autowired AwsProperties aws;
    @Autowired TestRestTemplate http;
    @Autowired ObjectMapper json;
    @Autowired SendRate sendRate;

    private WebClient browser;
    private final List<String> confirmed = new CopyOnWriteArrayList<>();

    @BeforeEach
    void openBrowser() {
        browser = new WebClient(BrowserVersion.FIREFOX_ESR);
        // A script error on the page fails the test; Chart.js's canvas drawing and CSS are HtmlUnit's best effort.
        browser.getOptions().setThrowExceptionOnScriptError(true);
        browser.getOptions().setCssEnabled(true);
        browser.setConfirmHandler((page, message) -> confirmed.add(message));
    }

    @AfterEach
    void closeBrowser() {
        browser.close();
        sendRate.reset();
    }

    @Test
    void theSampleCampaignReachesAHundredPercentWithItsEventsPerMinuteAndIntakeReport() throws IOException {
        String id = CampaignBucket.unique("welcome");
        new CampaignBucket(s3, aws).drop(id + ".json", CampaignBucket.fixtureText("samples/welcome-campaign.json")
                .replace("\"welcome-sample\"", "\"" + id + "\"").replace("Welcome (bundled sample)", "Welcome " + id));

        HtmlPage page = signIn();
        await().atMost(SEND).untilAsserted(() -> assertThat(campaignRow(page, id))
                .extracting(row -> row.querySelector(".progress-text").getTextContent())
                .isEqualTo("3 / 3 (100 %)"));
        assertThat(campaignRow(page, id).querySelector(".status").getTextContent()).isIn("SENDING", "SENT", "COMPLETED");

        page.getAnchorByHref("#/campaign/" + id).click();
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            assertThat(page.getElementById("campaign-title").getTextContent()).isEqualTo("Welcome " + id);
            assertThat(page.getElementById("timeline-chart").getAttribute("data-points")).isNotEmpty().isNotEqualTo("0");
            assertThat(page.getElementById("timeline-table").querySelectorAll("tbody tr")).isNotEmpty();
            assertThat(page.querySelector("[data-count=sent]").getTextContent()).isEqualTo("3");
        });
        assertThat(page.getElementById("timeline-table").querySelectorAll("tbody tr td:first-of-type"))
                .as("the Sent column adds up to the campaign's recipients")
                .extracting(cell -> Long.parseLong(cell.getTextContent())).containsAnyOf(1L, 2L, 3L)
                .satisfies(sent -> assertThat(sent.stream().mapToLong(Long::longValue).sum()).isEqualTo(3));
        assertThat(page.getElementById("report-counts").getTextContent()).contains("rows3").contains("valid3");
        assertThat(page.getElementById("action-pause").hasAttribute("disabled")).as("a sent campaign cannot be paused").isTrue();
        assertThat(page.getElementById("health-queues").getTextContent()).contains("send ").contains("dead");
    }

    @Test
    void aSendingCampaignIsPausedResumedAndCancelledFromItsButtonsAfterAConfirmation() throws IOException {
        // Slow enough that the campaign is still sending when the buttons are pressed.
        sendRate.setMaxRate(1);
        String id = CampaignBucket.unique("slow");
        new CampaignBucket(s3, aws).drop(id + ".json", campaignOf(id, 40));
        HtmlPage page = signIn();
        await().atMost(SEND).until(() -> campaignRow(page, id) != null
                && "SENDING".equals(campaignRow(page, id).querySelector(".status").getTextContent()));

        page.getAnchorByHref("#/campaign/" + id).click();
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            assertThat(page.getElementById("campaign-status").getTextContent()).isEqualTo("SENDING");
            assertThat(button(page, "action-pause").isDisabled()).isFalse();
            assertThat(button(page, "action-resume").isDisabled()).isTrue();
            assertThat(button(page, "action-resend").isDisabled()).as("resend waits for the end").isTrue();
        });

        button(page, "action-pause").click();
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            assertThat(page.getElementById("campaign-status").getTextContent()).isEqualTo("PAUSED");
            assertThat(button(page, "action-pause").isDisabled()).isTrue();
            assertThat(button(page, "action-resume").isDisabled()).isFalse();
        });
        assertThat(apiStatus(id)).isEqualTo("PAUSED");
        assertThat(confirmed).anySatisfy(question -> assertThat(question).isEqualTo("Pause campaign Slow " + id + "?"));

        button(page, "action-resume").click();
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                assertThat(page.getElementById("campaign-status").getTextContent()).isIn("SCHEDULED", "LAUNCHING", "SENDING"));
        assertThat(apiStatus(id)).isIn("SCHEDULED", "LAUNCHING", "SENDING");

        button(page, "action-cancel").click();
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            assertThat(page.getElementById("campaign-status").getTextContent()).isEqualTo("CANCELLED");
            assertThat(button(page, "action-cancel").isDisabled()).isTrue();
            assertThat(button(page, "action-resend").isDisabled()).isFalse();
        });
        assertThat(apiStatus(id)).isEqualTo("CANCELLED");
    }

    @Test
    void aMessageIsLookedUpByItsAddressWithItsEvents() throws IOException {
        String to = "success+" + UUID.randomUUID().toString().substring(0, 8) + "@simulator.amazonses.com";
        ResponseEntity<String> accepted = http.postForEntity("/api/v1/emails", new HttpEntity<>(json.writeValueAsString(
                Map.of("to", List.of(to), "subject", "Hello", "bodyText", "Hello")), ApiRequests.headers(KEY)), String.class);
        String emailId = json.readTree(accepted.getBody()).path("emailId").asText();

        HtmlPage page = signIn();
        page.getAnchorByHref("#/lookup").click();
        await().atMost(SEND).untilAsserted(() -> {
            HtmlInput query = (HtmlInput) page.getElementById("lookup-query");
            query.setValue(to);
            button(page, "lookup-submit").click();
            assertThat(page.getElementById("email-title").getTextContent()).isEqualTo("Email " + emailId);
            assertThat(page.getElementById("email-events").querySelectorAll(".event-type"))
                    .extracting(DomNode::getTextContent).contains("Delivery");
        });
        assertThat(page.getElementById("email-summary").getTextContent()).contains(to);
    }

    @Test
    void anUnknownKeyIsRefusedAndAskedForAgain() throws IOException {
        HtmlPage page = browser.getPage(console());
        ((HtmlInput) page.getElementById("api-key")).type("not-a-key");
        button(page, "key-submit").click();

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(page.getElementById("notice").getTextContent()).startsWith("The API key was not accepted");
            assertThat(page.getElementById("key-view").hasAttribute("hidden")).isFalse();
        });
    }

    @Test
    void theConsoleComesWithItsSecurityHeadersAndTheApiPortServesNoOtherStaticFiles() {
        ResponseEntity<String> page = http.getForEntity("/console/", String.class);
        assertThat(page.getStatusCode().value()).isEqualTo(200);
        assertThat(page.getBody()).contains("<title>mailroutes console</title>");
        assertThat(page.getHeaders().getFirst("Content-Security-Policy")).contains("script-src 'self'").contains("frame-ancestors 'none'");
        assertThat(http.getForEntity("/console/lib/chart/Chart.min.js", String.class).getStatusCode().value()).isEqualTo(200);

        assertThat(http.getForEntity("/webjars/chart.js/2.9.4/dist/Chart.min.js", String.class).getStatusCode().value()).isEqualTo(404);
        assertThat(http.getForEntity("/application.yaml", String.class).getStatusCode().value()).isEqualTo(404);
        assertThat(http.getForEntity("/console/../application.yaml", String.class).getStatusCode().value()).isEqualTo(404);
    }

    /** The bundled sample campaign as {@code id}, named "Slow <id>", to {@code recipients} simulator addresses. */
    private String campaignOf(String id, int recipients) throws IOException {
        ObjectNode campaign = (ObjectNode) json.readTree(CampaignBucket.fixture("samples/welcome-campaign.json"));
        campaign.put("campaignId", id).put("name", "Slow " + id);
        ArrayNode list = ((ObjectNode) campaign.path("segments").get(0)).putArray("recipients");
        for (int i = 0; i < recipients; i++) {
            list.addObject().put("email", "success+" + id + "-" + i + "@simulator.amazonses.com").put("firstName", "R" + i);
        }
        return json.writeValueAsString(campaign);
    }

    private String console() {
        return "http://localhost:" + port + "/console/";
    }

    private HtmlPage signIn() throws IOException {
        HtmlPage page = browser.getPage(console());
        ((HtmlInput) page.getElementById("api-key")).type(KEY);
        button(page, "key-submit").click();
        return page;
    }

    private static HtmlButton button(HtmlPage page, String id) {
        return (HtmlButton) page.getElementById(id);
    }

    private static DomElement campaignRow(HtmlPage page, String id) {
        return page.querySelector("#campaigns-table tr[data-campaign='" + id + "']");
    }

    private String apiStatus(String id) throws IOException {
        ResponseEntity<String> campaign = http.exchange("/api/v1/campaigns/" + id, HttpMethod.GET,
                ApiRequests.withKey(null), String.class);
        return campaign.getStatusCode().is2xxSuccessful() ? json.readTree(campaign.getBody()).path("status").asText() : null;
    }
}
