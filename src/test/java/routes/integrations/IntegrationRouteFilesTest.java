package routes.integrations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.PluginHelper;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Start-up with a routes directory, on a bare Camel context holding one built-in flow (the suite's
 * shared application must start, so the failing start-ups are shown here).
 */
class IntegrationRouteFilesTest {

    /** Only reads a route's parameters here: no route in these files reads status events. */
    private static final StatusSubscriptions STATUS = new StatusSubscriptions(null, null, null, null, null, null, new ObjectMapper());

    @TempDir Path dir;

    @Test
    void aFileTakingABuiltInRouteIdFailsStartUpNamingBothFiles() throws Exception {
        assertThatStartWith("takeover.yaml", """
                - route:
                    id: launch-now
                    from:
                      uri: direct:mine
                      steps:
                        - log: mine
                """)
                .hasMessageContaining("takeover.yaml")
                .hasMessageContaining("launch-now")
                .hasMessageContaining("routes/launch.yaml");
    }

    @Test
    void aBrokenFileFailsStartUpWithItsLineAndReason() throws Exception {
        assertThatStartWith("broken.yaml", """
                - route:
                    id: mine
                    from:
                      uri: direct:mine
                      steps:
                        - lg: mine
                """)
                .hasMessageContaining("broken.yaml")
                .hasMessageContaining("line 6")
                .hasMessageContaining("lg");
    }

    @Test
    void aMissingPlaceholderFailsStartUpNamingTheFile() throws Exception {
        assertThatStartWith("crm.yaml", """
                - route:
                    id: crm
                    from:
                      uri: direct:crm
                      steps:
                        - to: "{{crm.status-url}}"
                """)
                .hasMessageContaining("crm.yaml")
                .hasMessageContaining("crm.status-url");
    }

    @Test
    void aComponentNotInTheImageFailsStartUpNamingTheFile() throws Exception {
        assertThatStartWith("kafka.yaml", """
                - route:
                    id: to-kafka
                    from:
                      uri: direct:to-kafka
                      steps:
                        - to: kafka:mail-status
                """)
                .hasMessageContaining("kafka.yaml")
                .hasMessageContaining("no component kafka");
    }

    @Test
    void aStatusSourceWithAnUnknownEventTypeFailsStartUpBeforeAnyQueueIsMade() throws Exception {
        assertThatStartWith("crm.yaml", """
                - route:
                    id: crm-status
                    from:
                      uri: kamelet:mailroutes-status-source
                      parameters: {types: "message.bounced,bounced"}
                      steps:
                        - log: status
                """)
                .hasMessageContaining("crm.yaml")
                .hasMessageContaining("types: bounced is not an event type");
    }

    @Test
    void aMissingDirectoryIsCreatedAndItsFilesLoaded() throws Exception {
        Path missing = dir.resolve("routes.d");
        try (DefaultCamelContext camel = withBuiltInLaunchFlow()) {
            new IntegrationRouteFiles(new RoutesDirProperties(missing, false), STATUS).beforeApplicationStart(camel);
            assertThat(missing).isDirectory();
        }
        Files.writeString(missing.resolve("mine.camel.yaml"), """
                - route:
                    id: mine
                    from:
                      uri: direct:mine
                      steps:
                        - log: mine
                """);
        try (DefaultCamelContext camel = withBuiltInLaunchFlow()) {
            new IntegrationRouteFiles(new RoutesDirProperties(missing, false), STATUS).beforeApplicationStart(camel);
            assertThat(camel.getRouteDefinition("mine")).isNotNull();
        }
    }

    /** What start-up throws with {@code yaml} as the only file of the routes directory. */
    private AbstractThrowableAssert<?, ? extends Throwable> assertThatStartWith(String name, String yaml) throws Exception {
        Files.writeString(dir.resolve(name), yaml);
        try (DefaultCamelContext camel = withBuiltInLaunchFlow()) {
            return assertThatThrownBy(() -> new IntegrationRouteFiles(new RoutesDirProperties(dir, false), STATUS)
                    .beforeApplicationStart(camel));
        }
    }

    private static DefaultCamelContext withBuiltInLaunchFlow() throws Exception {
        DefaultCamelContext camel = new DefaultCamelContext();
        PluginHelper.getRoutesLoader(camel).loadRoutes(
                PluginHelper.getResourceLoader(camel).resolveResource("classpath:routes/launch.yaml"));
        return camel;
    }
}
