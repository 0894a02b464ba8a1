package routes.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.http.HttpMethod;
import org.springframework.http.ResponseEntity;
import routes.MailroutesTest;
import routes.aws.AwsProperties;
import software.amazon.awssdk.services.s3.S3Client;

/** {@code POST /api/v1/uploads}: a Message Centre puts its file through the presigned URL with a plain HTTP client. */
@MailroutesTest
class UploadTest {

    @Autowired TestRestTemplate http;
    @Autowired ObjectMapper json;
    @Autowired S3Client s3;
    @Autowired AwsProperties aws;

    @Test
    void aRecipientsFilePutThroughThePresignedUrlLandsUnderTheKeyTheApiChose() throws Exception {
        byte[] file = "email,firstName\nann@example.org,Ann\n".getBytes(StandardCharsets.UTF_8);
        ResponseEntity<String> created = http.exchange("/api/v1/uploads", HttpMethod.POST, ApiRequests.withKey(
                json.writeValueAsString(Map.of("kind", "recipients", "filename", "spring.csv", "contentType", "text/csv",
                        "contentLength", file.length))), String.class);
        assertThat(created.getStatusCode().value()).as(created.getBody()).isEqualTo(201);
        JsonNode upload = json.readTree(created.getBody());
        String key = upload.path("key").asText();
        assertThat(key).startsWith("uploads/recipients/").endsWith("/spring.csv");

        HttpRequest.Builder put = HttpRequest.newBuilder(URI.create(upload.path("url").asText()))
                .PUT(HttpRequest.BodyPublishers.ofByteArray(file));
        upload.path("headers").fields().forEachRemaining(header -> {
            if (!header.getKey().equalsIgnoreCase("content-length")) {
                put.header(header.getKey(), header.getValue().asText());
            }
        });
        HttpResponse<String> stored = HttpClient.newHttpClient().send(put.build(), HttpResponse.BodyHandlers.ofString());

        assertThat(stored.statusCode()).as(stored.body()).isEqualTo(200);
        assertThat(s3.getObjectAsBytes(b -> b.bucket(aws.bucket()).key(key)).asUtf8String())
                .isEqualTo(new String(file, StandardCharsets.UTF_8));
    }

    @Test
    void aKeyOutsideUploadsOrAFileOverTheLimitIsRefusedNamingTheField() throws Exception {
        assertField(Map.of("kind", "recipients", "filename", "../inbox/x.json", "contentType", "application/json",
                "contentLength", 10), "filename");
        assertField(Map.of("kind", "inbox", "filename", "x.json", "contentType", "application/json", "contentLength", 10), "kind");
        assertField(Map.of("kind", "recipients", "filename", "x.csv", "contentType", "text/csv",
                "contentLength", 104_857_601), "contentLength");
    }

    private void assertField(Map<String, Object> request, String field) throws Exception {
        ResponseEntity<String> refused = http.exchange("/api/v1/uploads", HttpMethod.POST,
                ApiRequests.withKey(json.writeValueAsString(request)), String.class);
        assertThat(refused.getStatusCode().value()).as(refused.getBody()).isEqualTo(400);
        assertThat(json.readTree(refused.getBody()).path("details").path("field").asText()).isEqualTo(field);
    }
}
