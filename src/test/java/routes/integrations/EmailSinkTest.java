package routes.integrations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.http.ResponseEntity;
import routes.MailroutesTest;
import routes.api.ApiRequests;
import routes.aws.AwsProperties;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/** The email sink answers an invalid request exactly as POST /api/v1/emails does. */
@MailroutesTest
class EmailSinkTest {

    private static final String INVALID = "{\"subject\": \"No recipient\", \"bodyText\": \"Hello\"}";

    @Autowired IntegrationRouteFiles routeFiles;
    @Autowired TestRestTemplate http;
    @Autowired S3Client s3;
    @Autowired AwsProperties aws;

    @Test
    void anInvalidRequestGetsTheApisErrorAndStatus() throws IOException {
        String id = "sink-" + UUID.randomUUID().toString().substring(0, 8);
        Path dir = routeFiles.directory().orElseThrow();
        Path temp = Files.writeString(dir.resolve("." + id + ".tmp"), """
                - route:
                    id: %s
                    from:
                      uri: timer:%s
                      parameters: {repeatCount: 1}
                      steps:
                        - setBody: {constant: '%s'}
                        - to: kamelet:mailroutes-email-sink
                        - setBody: {simple: "${header.CamelHttpResponseCode} ${body}"}
                        - to: "aws2-s3:{{mailroutes.aws.bucket}}?keyName=integration-probe/%s/reply"
                """.formatted(id, id, INVALID, id));
        Files.move(temp, dir.resolve(id + ".yaml"), StandardCopyOption.ATOMIC_MOVE);

        String key = "integration-probe/" + id + "/reply";
        await().atMost(Duration.ofSeconds(30)).until(() -> exists(key));
        ResponseEntity<String> api = http.postForEntity("/api/v1/emails", ApiRequests.withKey(INVALID), String.class);
        assertThat(api.getStatusCode().value()).isEqualTo(400);
        assertThat(s3.getObjectAsBytes(b -> b.bucket(aws.bucket()).key(key)).asUtf8String()).isEqualTo("400 " + api.getBody());
        Files.delete(dir.resolve(id + ".yaml"));
    }

    private boolean exists(String key) {
        try {
            s3.headObject(b -> b.bucket(aws.bucket()).key(key));
            return true;
        } catch (NoSuchKeyException e) {
            return false;
        }
    }
}
