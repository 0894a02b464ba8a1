package routes.intake;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;
import org.springframework.core.io.ClassPathResource;
import routes.aws.AwsProperties;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/** Test vocabulary for the campaign bucket: drop files into the inbox, wait for reports, look for objects. */
public final class CampaignBucket {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final S3Client s3;
    private final String bucket;

    public CampaignBucket(S3Client s3, AwsProperties aws) {
        this.s3 = s3;
        this.bucket = aws.bucket();
    }

    /** A name no other test uses, keeping the extension. */
    public static String unique(String name) {
        return UUID.randomUUID().toString().substring(0, 8) + "-" + name;
    }

    public void drop(String name, byte[] content) {
        s3.putObject(b -> b.bucket(bucket).key("inbox/" + name), RequestBody.fromBytes(content));
    }

    public void drop(String name, String content) {
        drop(name, content.getBytes(StandardCharsets.UTF_8));
    }

    public static byte[] fixture(String name) {
        try (InputStream in = new ClassPathResource(name.contains("/") ? name : "fixtures/intake/" + name).getInputStream()) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String fixtureText(String name) {
        return new String(fixture(name), StandardCharsets.UTF_8);
    }

    /** Waits for {@code reports/<name>.report.json}. */
    public JsonNode awaitReport(String name) {
        return awaitReport(name, Duration.ofSeconds(30));
    }

    public JsonNode awaitReport(String name, Duration timeout) {
        String key = "reports/" + name + ".report.json";
        await().atMost(timeout).until(() -> exists(key));
        return json(key);
    }

    public JsonNode json(String key) {
        try {
            return JSON.readTree(s3.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public boolean exists(String key) {
        try {
            s3.headObject(b -> b.bucket(bucket).key(key));
            return true;
        } catch (NoSuchKeyException e) {
            return false;
        } catch (software.amazon.awssdk.services.s3.model.S3Exception e) {
            if (e.statusCode() == 404) {
                return false;
            }
            throw e;
        }
    }
}
