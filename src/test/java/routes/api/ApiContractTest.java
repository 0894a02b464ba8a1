package routes.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static routes.api.ApiRequests.KEY;
import static routes.api.ApiRequests.headers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.core.io.ClassPathResource;
import org.springframework.http.HttpEntity;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.ResponseEntity;
import routes.MailroutesTest;
import routes.store.SuppressionList;

/** The contract as an integrator meets it: checked requests, scoped keys, per-key limits, the audit log. */
@MailroutesTest
class ApiContractTest {

    /** Scope read only (LocalAwsEnvironment). */
    private static final String READ_KEY = "local-read-key";
    /** Scope read, one request a second (LocalAwsEnvironment). */
    private static final String SLOW_KEY = "local-slow-key";

    @Autowired TestRestTemplate http;
    @Autowired ObjectMapper json;
    @Autowired SuppressionList suppressions;

    @Test
    void aRequestTheContractRefusesIs400NamingTheFieldAndChangesNothing() throws Exception {
        String address = unique("fay") + "@example.org";
        ResponseEntity<String> unknown = call(HttpMethod.POST, "/api/v1/suppressions",
                json.writeValueAsString(Map.of("email", address, "colour", "blue")), KEY);
        assertInvalid(unknown, "colour", "unknown");
        assertThat(suppressions.find(address)).isEmpty();

        assertInvalid(call(HttpMethod.POST, "/api/v1/emails",
                json.writeValueAsString(Map.of("to", address, "subject", "Hi", "bodyText", "x")), KEY), "to", "array");
        assertInvalid(call(HttpMethod.POST, "/api/v1/emails", json.writeValueAsString(Map.of("to", List.of(address),
                "subject", "Hi", "bodyText", "x", "attachments", List.of(Map.of("content", "eA==")))), KEY),
                "attachments[0].filename", "required");
        assertInvalid(call(HttpMethod.GET, "/api/v1/campaigns?limit=many", null, KEY), "limit", null);
    }

    @Test
    void aKeyWithoutTheOperationsScopeIs403NamingTheScope() throws Exception {
        assertThat(call(HttpMethod.GET, "/api/v1/campaigns", null, READ_KEY).getStatusCode().value()).isEqualTo(200);

        ResponseEntity<String> erase = call(HttpMethod.DELETE, "/api/v1/recipients/" + unique("gil") + "@example.org", null, READ_KEY);
        assertThat(erase.getStatusCode().value()).isEqualTo(403);
        JsonNode error = json.readTree(erase.getBody());
        assertThat(error.path("error").asText()).isEqualTo("FORBIDDEN");
        assertThat(error.path("details").path("constraint").asText()).isEqualTo("admin");
        assertThat(call(HttpMethod.POST, "/api/v1/suppressions", "{\"email\": \"gil@example.org\"}", READ_KEY)
                .getStatusCode().value()).isEqualTo(403);
        assertThat(suppressions.find("gil@example.org")).isEmpty();
    }

    @Test
    void aKeyPastItsOwnLimitIs429WithRetryAfterAndEveryAnswerTellsTheLimit() throws Exception {
        ResponseEntity<String> first = call(HttpMethod.GET, "/api/v1/campaigns?limit=1", null, SLOW_KEY);
        if (first.getStatusCode().value() == 200) {
            assertThat(first.getHeaders().getFirst("X-RateLimit-Limit")).isEqualTo("1");
            assertThat(first.getHeaders().getFirst("X-RateLimit-Remaining")).isEqualTo("0");
        }
        // One request a second: of requests sent together the gate lets one a second through.
        List<ResponseEntity<String>> answers = new ArrayList<>();
        for (int round = 0; round < 5 && answers.stream().noneMatch(a -> a.getStatusCode().value() == 429); round++) {
            List<CompletableFuture<ResponseEntity<String>>> together = IntStream.range(0, 6).mapToObj(i -> CompletableFuture
                    .supplyAsync(() -> call(HttpMethod.GET, "/api/v1/emails/" + UUID.randomUUID(), null, SLOW_KEY))).toList();
            together.forEach(answer -> answers.add(answer.join()));
        }

        assertThat(answers).anySatisfy(refused -> {
            assertThat(refused.getStatusCode().value()).isEqualTo(429);
            assertThat(refused.getHeaders().getFirst("Retry-After")).isEqualTo("1");
            assertThat(json.readTree(refused.getBody()).path("error").asText()).isEqualTo("RATE_LIMIT_EXCEEDED");
        });
    }

    @Test
    void everyMutatingCallIsAuditedWithKeyOperationAndTargetAndOnlyAnAdminKeyReadsTheLog() throws Exception {
        String address = unique("hal+news") + "@example.org";
        assertThat(call(HttpMethod.POST, "/api/v1/suppressions", json.writeValueAsString(Map.of("email", address)), KEY)
                .getStatusCode().value()).isEqualTo(201);
        assertThat(call(HttpMethod.DELETE, "/api/v1/suppressions/" + address, null, KEY).getStatusCode().value()).isEqualTo(204);
        assertThat(call(HttpMethod.DELETE, "/api/v1/recipients/" + address, null, READ_KEY).getStatusCode().value()).isEqualTo(403);

        String pseudonym = SuppressionList.pseudonym(address);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            JsonNode log = json.readTree(call(HttpMethod.GET, "/api/v1/audit?limit=50", null, KEY).getBody()).path("items");
            assertThat(log).anySatisfy(entry -> {
                assertThat(entry.path("keyId").asText()).isEqualTo("local-dev");
                assertThat(entry.path("operation").asText()).isEqualTo("removeSuppression");
                assertThat(entry.path("target").asText()).isEqualTo(pseudonym);
                assertThat(entry.path("status").asText()).isEqualTo("204");
                assertThat(entry.path("at").asText()).isNotBlank();
            });
            assertThat(log).anySatisfy(entry -> {
                assertThat(entry.path("operation").asText()).isEqualTo("addSuppression");
                assertThat(entry.path("target").asText()).isEqualTo(pseudonym);
                assertThat(entry.path("status").asText()).isEqualTo("201");
            });
            assertThat(log).anySatisfy(entry -> {
                assertThat(entry.path("keyId").asText()).isEqualTo("local-read");
                assertThat(entry.path("operation").asText()).isEqualTo("eraseRecipient");
                assertThat(entry.path("status").asText()).isEqualTo("403");
            });
            assertThat(log.toString()).doesNotContain(address);
        });
        assertThat(call(HttpMethod.GET, "/api/v1/audit", null, READ_KEY).getStatusCode().value()).isEqualTo(403);
    }

    @Test
    void theServedDescriptionIsTheContractFileItself() throws Exception {
        ResponseEntity<String> served = http.getForEntity("/api/v1/openapi.json", String.class);

        assertThat(served.getStatusCode().value()).isEqualTo(200);
        JsonNode contract = new YAMLMapper().readTree(new ClassPathResource(ApiContract.SPECIFICATION)
                .getContentAsString(StandardCharsets.UTF_8));
        assertThat(json.readTree(served.getBody())).isEqualTo(contract);
    }

    private void assertInvalid(ResponseEntity<String> response, String field, String constraint) throws Exception {
        assertThat(response.getStatusCode().value()).as(response.getBody()).isEqualTo(400);
        JsonNode error = json.readTree(response.getBody());
        assertThat(error.path("error").asText()).isEqualTo("VALIDATION_ERROR");
        assertThat(error.path("details").path("field").asText()).as(response.getBody()).isEqualTo(field);
        if (constraint != null) {
            assertThat(error.path("details").path("constraint").asText()).as(response.getBody()).isEqualTo(constraint);
        }
    }

    private ResponseEntity<String> call(HttpMethod method, String path, String body, String key) {
        HttpHeaders headers = headers(key);
        return http.exchange(path, method, new HttpEntity<>(body, headers), String.class);
    }

    private static String unique(String name) {
        return name + "-" + UUID.randomUUID().toString().substring(0, 8);
    }
}
