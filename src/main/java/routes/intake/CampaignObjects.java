package routes.intake;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.springframework.stereotype.Component;
import routes.aws.AwsProperties;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Exception;

/** The campaign bucket as intake, launch and the API see it: stream, look up, copy, delete, write a report. */
@Component
public class CampaignObjects {

    private final S3Client s3;
    private final String bucket;

    public CampaignObjects(S3Client s3, AwsProperties aws) {
        this.s3 = s3;
        this.bucket = aws.bucket();
    }

    /** Streams the object; the caller closes it. Nothing is buffered beyond the SDK's socket buffer. */
    public InputStream open(String key) {
        return s3.getObject(b -> b.bucket(bucket).key(key));
    }

    public Optional<HeadObjectResponse> head(String key) {
        try {
            return Optional.of(s3.headObject(b -> b.bucket(bucket).key(key)));
        } catch (NoSuchKeyException missing) {
            return Optional.empty();
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return Optional.empty();
            }
            throw e;
        }
    }

    public void copy(String from, String to) {
        s3.copyObject(b -> b.sourceBucket(bucket).sourceKey(from).destinationBucket(bucket).destinationKey(to));
    }

    public void delete(String key) {
        s3.deleteObject(b -> b.bucket(bucket).key(key));
    }

    /** Deletes every object under {@code prefix}. */
    /** Deletes every object under {@code prefix}, one DeleteObjects call per listed page; returns how many. */
    public int deleteUnder(String prefix) {
        int deleted = 0;
        for (ListObjectsV2Response page : s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix))) {
            List<ObjectIdentifier> keys = page.contents().stream()
                    .map(object -> ObjectIdentifier.builder().key(object.key()).build()).toList();
            if (!keys.isEmpty()) {
                s3.deleteObjects(b -> b.bucket(bucket).delete(d -> d.objects(keys).quiet(true)));
                deleted += keys.size();
            }
        }
        return deleted;
    }

    public void putJson(String key, byte[] json) {
        s3.putObject(b -> b.bucket(bucket).key(key).contentType("application/json"), RequestBody.fromBytes(json));
    }

    public Optional<String> readText(String key) {
        if (head(key).isEmpty()) {
            return Optional.empty();
        }
        try (InputStream in = open(key)) {
            return Optional.of(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
