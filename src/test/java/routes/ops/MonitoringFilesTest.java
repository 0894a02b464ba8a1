package routes.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.yaml.snakeyaml.Yaml;
import routes.MailroutesTest;

/**
 * The alarm, rule and dashboard files an operator deploys: they parse, and every metric the Grafana
 * dashboard and the PrometheusRule ask for is one the application exports.
 */
@MailroutesTest
class MonitoringFilesTest {

    private static final Path DASHBOARD = Path.of("config/grafana/mailroutes-dashboard.json");
    private static final Path RULES = Path.of("kubernetes/monitoring/prometheusrule.yaml");
    private static final Path CLOUDFORMATION = Path.of("config/aws/cloudformation.yaml");
    private static final Pattern IDENTIFIER = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*(?=\\s*(\\()?)");
    private static final Set<String> PROMQL_WORDS = Set.of("by", "without", "on", "ignoring", "group_left",
            "group_right", "and", "or", "unless", "offset", "bool");

    @Autowired TestRestTemplate http;
    @Autowired ObjectMapper json;
    @LocalManagementPort int managementPort;

    @Test
    void everyMetricOfTheDashboardAndTheAlertRulesIsExported() throws IOException {
        List<String> expressions = new ArrayList<>();
        json.readTree(DASHBOARD.toFile()).path("panels")
                .forEach(panel -> panel.path("targets").forEach(target -> expressions.add(target.path("expr").asText())));
        for (Map<String, Object> group : list(map(yaml(RULES).get("spec")).get("groups"))) {
            list(group.get("rules")).forEach(rule -> expressions.add((String) rule.get("expr")));
        }
        Set<String> used = new TreeSet<>();
        expressions.forEach(expression -> used.addAll(metricNames(expression)));
        assertThat(used).contains("mailroutes_emails_total", "mailroutes_queue_messages", "camel_exchanges_failed_total");

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(Scrape.of(http, managementPort).names()).containsAll(used));
    }

    @Test
    void everyDeadLetterQueueAndTheReputationRatesAlarmOnTheAlertsTopic() throws IOException {
        Map<String, Object> resources = map(yaml(CLOUDFORMATION).get("Resources"));
        Map<String, Map<String, Object>> alarms = new java.util.HashMap<>();
        resources.forEach((name, resource) -> {
            if ("AWS::CloudWatch::Alarm".equals(map(resource).get("Type"))) {
                alarms.put(name, map(map(resource).get("Properties")));
            }
        });
        assertThat(alarms.values()).allSatisfy(alarm ->
                assertThat(alarm.get("AlarmActions")).isEqualTo(List.of(Map.of("Ref", "AlertsTopic"))));

        Set<String> deadLetterQueues = new TreeSet<>();
        resources.forEach((name, resource) -> {
            if (name.endsWith("DeadLetterQueue") && "AWS::SQS::Queue".equals(map(resource).get("Type"))) {
                deadLetterQueues.add(name);
            }
        });
        Set<Object> watched = new TreeSet<>();
        alarms.values().stream().filter(alarm -> "ApproximateNumberOfMessagesVisible".equals(alarm.get("MetricName")))
                .forEach(alarm -> watched.add(list(alarm.get("Dimensions")).get(0).get("Value").toString()));
        assertThat(deadLetterQueues).hasSize(7).allSatisfy(queue ->
                assertThat(watched).contains(Map.of("Fn::GetAtt", List.of(queue, "QueueName")).toString()));

        assertThat(alarms.values()).anySatisfy(alarm -> assertThat(alarm)
                .containsEntry("MetricName", "Reputation.BounceRate").containsEntry("Threshold", 0.04)
                .containsEntry("ComparisonOperator", "GreaterThanOrEqualToThreshold"));
        assertThat(alarms.values()).anySatisfy(alarm -> assertThat(alarm)
                .containsEntry("MetricName", "Reputation.ComplaintRate").containsEntry("Threshold", 0.0008)
                .containsEntry("ComparisonOperator", "GreaterThanOrEqualToThreshold"));
        assertThat(alarms.values().stream().filter(alarm -> "ApproximateAgeOfOldestMessage".equals(alarm.get("MetricName"))))
                .map(alarm -> list(alarm.get("Dimensions")).get(0).get("Value").toString())
                .containsExactlyInAnyOrder(Map.of("Fn::GetAtt", List.of("SendQueue", "QueueName")).toString(),
                        Map.of("Fn::GetAtt", List.of("SesEventsQueue", "QueueName")).toString());
    }

    @Test
    void metricNamesAreReadFromPromQlWithoutLabelsFunctionsOrKeywords() {
        assertThat(metricNames("sum by (routeId) (rate(camel_exchanges_failed_total{routeId!=\"a{b}\"}[5m]))"
                + " / clamp_min(sum without (x) (mailroutes_emails_total offset 1h), 1) > bool 0 and on (q) up"))
                .containsExactly("camel_exchanges_failed_total", "mailroutes_emails_total", "up");
    }

    /** The metric names in a PromQL expression: identifiers outside label matchers, ranges, strings and numbers, not calls. */
    static Set<String> metricNames(String expression) {
        String bare = expression.replaceAll("\"(?:[^\"\\\\]|\\\\.)*\"", "\"\"")
                .replaceAll("\\{[^}]*}", "")
                .replaceAll("\\[[^]]*]", "")
                .replaceAll("\\b\\d[\\w.]*", "")
                .replaceAll("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)", "");
        Set<String> names = new TreeSet<>();
        Matcher identifier = IDENTIFIER.matcher(bare);
        while (identifier.find()) {
            boolean call = identifier.group(1) != null;
            if (!call && !PROMQL_WORDS.contains(identifier.group())) {
                names.add(identifier.group());
            }
        }
        return names;
    }

    private static Map<String, Object> yaml(Path file) throws IOException {
        try (Reader reader = Files.newBufferedReader(file)) {
            return new Yaml().load(reader);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object node) {
        return (Map<String, Object>) node;
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> list(Object node) {
        return (List<Map<String, Object>>) node;
    }
}
