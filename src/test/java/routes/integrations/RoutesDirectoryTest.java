package routes.integrations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.UUID;
import org.apache.camel.CamelContext;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import routes.MailroutesTest;
import routes.aws.AwsProperties;
import software.amazon.awssdk.services.s3.S3Client;

/** An integration team edits YAML in the watched routes directory of the running application. */
@MailroutesTest
class RoutesDirectoryTest {

    @Autowired IntegrationRouteFiles routeFiles;
    @Autowired CamelContext camel;
    @Autowired S3Client s3;
    @Autowired AwsProperties aws;

    @Test
    void aNewFileRunsAndABrokenOneIsRefusedWhileTheFirstKeepsRunning() throws IOException {
        String id = "probe-" + UUID.randomUUID().toString().substring(0, 8);
        write(id + ".yaml", """
                - route:
                    id: %s
                    from:
                      uri: timer:%s
                      parameters: {period: 200}
                      steps:
                        - setBody: {simple: "${exchangeId}"}
                        - to: "aws2-s3:{{mailroutes.aws.bucket}}?keyName=integration-probe/%s/${exchangeId}"
                """.formatted(id, id, id));
        await().atMost(Duration.ofSeconds(20)).until(() -> probes(id) > 0);

        write(id + "-broken.yaml", """
                - route:
                    id: %s-broken
                    from:
                      uri: timer:%s-broken
                      stepz:
                        - log: never
                """.formatted(id, id));
        await().atMost(Duration.ofSeconds(20)).until(() -> routeFiles.lastRefusal() != null
                && routeFiles.lastRefusal().contains(id + "-broken.yaml"));
        assertThat(routeFiles.lastRefusal()).contains("line").contains("stepz");
        assertThat(camel.getRoute(id + "-broken")).isNull();

        long seen = probes(id);
        await().atMost(Duration.ofSeconds(20)).until(() -> probes(id) > seen);
        assertThat(camel.getRouteController().getRouteStatus(id).isStarted()).isTrue();
    }

    @Test
    void aFileCannotReplaceABuiltInRoute() throws IOException {
        String name = "takeover-" + UUID.randomUUID().toString().substring(0, 8) + ".yaml";
        write(name, """
                - route:
                    id: launch-now
                    from:
                      uri: direct:launch-now-takeover
                      steps:
                        - log: replaced
                """);
        await().atMost(Duration.ofSeconds(20)).until(() -> routeFiles.lastRefusal() != null
                && routeFiles.lastRefusal().contains(name));
        assertThat(routeFiles.lastRefusal()).contains("launch-now").contains("routes/launch.yaml");
        assertThat(camel.getRoute("launch-now").getEndpoint().getEndpointUri()).isEqualTo("direct://launch-now");
    }

    private long probes(String id) {
        return s3.listObjectsV2(b -> b.bucket(aws.bucket()).prefix("integration-probe/" + id + "/")).keyCount();
    }

    /** Written under a hidden name and moved in, so the watcher never sees half a file. */
    private void write(String name, String yaml) throws IOException {
        Path dir = routeFiles.directory().orElseThrow();
        Path temp = Files.writeString(dir.resolve("." + name + ".tmp"), yaml);
        Files.move(temp, dir.resolve(name), StandardCopyOption.ATOMIC_MOVE);
    }
}
