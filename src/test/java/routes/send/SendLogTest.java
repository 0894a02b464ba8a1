package routes.send;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static routes.send.SendFixture.recipient;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.logging.logback.StructuredLogEncoder;
import routes.MailroutesTest;
import routes.aws.AwsProperties;
import routes.model.CampaignStatus;
import routes.model.SendChunk.Recipient;
import routes.store.Campaigns;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The log of a send as production writes it (Spring Boot's ECS JSON, application.yaml): the lines of a
 * recipient's flow name its campaign, message and route, and never its address.
 */
@MailroutesTest
class SendLogTest {

    @Autowired DynamoDbClient dynamo;
    @Autowired SqsClient sqs;
    @Autowired AwsProperties aws;
    @Autowired ObjectMapper json;
    @Autowired Campaigns campaigns;

    @Test
    void aRecipientsLogLinesCarryCampaignMessageAndRouteButNoAddress() throws Exception {
        SendFixture fixture = new SendFixture(dynamo, sqs, aws, json);
        String campaignId = fixture.campaign(CampaignStatus.SENDING, 1);
        String run = UUID.randomUUID().toString().substring(0, 8);
        Recipient ann = recipient(campaignId, "ann-" + run + "@example.org", "send-greeting", Map.of("name", "Ann"));
        Recipient nameless = recipient(campaignId, "nameless-" + run + "@example.org", "send-greeting", Map.of());

        List<String> lines;
        try (EcsCapture capture = new EcsCapture()) {
            fixture.enqueue(campaignId, List.of(ann, nameless), 500);
            await().atMost(Duration.ofSeconds(40)).until(() -> campaigns.status(campaignId).orElseThrow() == CampaignStatus.SENT);
            lines = capture.lines();
        }

        List<Map<String, String>> ofNameless = lines.stream().map(this::fields)
                .filter(fields -> nameless.messageId().equals(fields.get("messageId"))).toList();
        assertThat(ofNameless).as("log lines of the recipient whose template failed").isNotEmpty().allSatisfy(fields -> {
            assertThat(fields).containsEntry("campaignId", campaignId).containsKey("camel.routeId");
        });
        assertThat(ofNameless).anySatisfy(fields -> assertThat(fields.get("message")).contains("FAILED"));
        assertThat(lines).noneMatch(line -> line.contains("@example.org"));
    }

    /** The JSON object of one line, flattened to dotted keys (ECS may nest {@code camel.routeId}). */
    private Map<String, String> fields(String line) {
        try {
            Map<String, String> fields = new HashMap<>();
            flatten("", json.readTree(line), fields);
            return fields;
        } catch (Exception e) {
            throw new AssertionError("not a JSON log line: " + line, e);
        }
    }

    private static void flatten(String prefix, JsonNode node, Map<String, String> into) {
        if (node.isObject()) {
            node.properties().forEach(entry -> flatten(prefix + entry.getKey() + ".", entry.getValue(), into));
        } else {
            into.put(prefix.substring(0, prefix.length() - 1), node.asText());
        }
    }

    /** Every event of the application's loggers while open, encoded at once as the ECS console would write it. */
    private static final class EcsCapture extends AppenderBase<ILoggingEvent> implements AutoCloseable {

        private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        private final StructuredLogEncoder encoder = new StructuredLogEncoder();
        private final List<String> lines = new CopyOnWriteArrayList<>();

        EcsCapture() {
            LoggerContext context = root.getLoggerContext();
            encoder.setContext(context);
            encoder.setFormat("ecs");
            encoder.start();
            setContext(context);
            start();
            root.addAppender(this);
        }

        @Override
        protected void append(ILoggingEvent event) {
            if (event.getLoggerName().startsWith("routes.") || event.getLoggerName().startsWith("org.apache.camel")) {
                lines.add(new String(encoder.encode(event), StandardCharsets.UTF_8).strip());
            }
        }

        List<String> lines() {
            return List.copyOf(lines);
        }

        @Override
        public void close() {
            root.detachAppender(this);
            stop();
        }
    }
}
