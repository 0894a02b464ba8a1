package routes.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.util.List;
import java.time.Duration;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.actuate.health.CompositeHealth;
import org.springframework.boot.actuate.health.HealthComponent;
import org.springframework.boot.actuate.health.HealthEndpoint;
import org.springframework.boot.actuate.health.Status;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import routes.MailroutesTest;

/**
 * What someone who can reach the API port sees of the actuator: the two probes, without details.
 * Everything else is on the management port, which the Kubernetes Service does not expose.
 */
@MailroutesTest
class ManagementSurfaceTest {

    @Autowired TestRestTemplate http;
    @LocalManagementPort int managementPort;
    @Autowired HealthEndpoint health;
    @Autowired ObjectMapper json;

    @ParameterizedTest
    @ValueSource(strings = {"/livez", "/readyz"})
    void theProbesAnswerOnTheApiPortWithoutDetails(String probe) {
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            ResponseEntity<String> response = http.getForEntity(probe, String.class);
            assertThat(response.getStatusCode()).isEqualTo(HttpStatus.OK);
            assertThat(response.getBody()).isEqualTo("{\"status\":\"UP\"}");
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"/actuator", "/actuator/health", "/actuator/metrics", "/actuator/camelroutes",
            "/actuator/env", "/actuator/info"})
    void noOtherActuatorEndpointIsOnTheApiPort(String path) {
        assertThat(http.getForEntity(path, String.class).getStatusCode()).isEqualTo(HttpStatus.NOT_FOUND);
    }

    @Test
    void theManagementPortCarriesHealthDetailsAndMetrics() {
        String management = "http://localhost:" + managementPort;

        assertThat(http.getForObject(management + "/actuator/health", String.class))
                .contains("\"components\"").contains("\"camelHealth\"");
        assertThat(http.getForEntity(management + "/actuator/metrics", String.class).getStatusCode())
                .isEqualTo(HttpStatus.OK);
    }

    @Test
    void readinessAsksS3SqsAndDynamoDbAndTheyAreUpOnTheEmbeddedAws() throws Exception {
        JsonNode components = json.readTree(http.getForObject("http://localhost:" + managementPort + "/actuator/health",
                String.class)).path("components");

        for (String service : List.of("s3", "sqs", "dynamoDb")) {
            assertThat(components.path(service).path("status").asText()).as(service).isEqualTo("UP");
            assertThat(components.path(service).path("details").path("resource").asText()).as(service).isNotBlank();
        }
        // Camel's consumers make the group OUT_OF_SERVICE until each has polled once.
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            HealthComponent readiness = health.healthForPath("readiness");
            assertThat(readiness.getStatus()).isEqualTo(Status.UP);
            assertThat(((CompositeHealth) readiness).getComponents()).containsKeys("s3", "sqs", "dynamoDb");
        });
    }

    @Test
    void theLocalProfileWithItsKnownKeysIsNotPartOfTheProductionClasses() {
        assertThat(Files.exists(Path.of("target/classes/application-local.yaml"))).isFalse();
        assertThat(getClass().getResource("/application-local.yaml")).isNotNull();
    }
}
