package routes.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.springframework.stereotype.Component;
import routes.aws.AwsProperties;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;
import software.amazon.awssdk.services.s3.presigner.model.PresignedPutObjectRequest;

/**
 * {@code POST /api/v1/uploads}: a presigned S3 PUT URL for a recipients file or a template bundle, under a key the
 * API chooses ({@value #PREFIX}{@code <kind>/<uploadId>/<filename>}, never {@code inbox/}), signed for the stated
 * content type and size and valid for {@code mailroutes.api.uploads.expiry}.
 */
@Component
public class Uploads {

    static final String PREFIX = "uploads/";

    /** What the caller states about the file; the contract checks the values. */
    record UploadRequest(String kind, String filename, String contentType, long contentLength) {}

    private final S3Presigner presigner;
    private final AwsProperties aws;
    private final UploadProperties uploads;
    private final ObjectMapper json;
    private final Clock clock;

    public Uploads(S3Presigner presigner, AwsProperties aws, UploadProperties uploads, ObjectMapper json, Clock clock) {
        this.presigner = presigner;
        this.aws = aws;
        this.uploads = uploads;
        this.json = json;
        this.clock = clock;
    }

    public ApiReply create(String body) throws JsonProcessingException {
        UploadRequest request = json.readValue(body, UploadRequest.class);
        if (request.contentLength() > uploads.maxBytes()) {
            throw ApiProblem.invalid("contentLength", "max " + uploads.maxBytes() + " bytes",
                    "contentLength is over " + uploads.maxBytes() + " bytes");
        }
        String uploadId = UUID.randomUUID().toString();
        String key = PREFIX + request.kind() + "/" + uploadId + "/" + request.filename();
        PresignedPutObjectRequest signed = presigner.presignPutObject(p -> p.signatureDuration(uploads.expiry())
                .putObjectRequest(o -> o.bucket(aws.bucket()).key(key).contentType(request.contentType())
                        .contentLength(request.contentLength())));
        Map<String, Object> reply = new LinkedHashMap<>();
        reply.put("uploadId", uploadId);
        reply.put("key", key);
        reply.put("method", "PUT");
        reply.put("url", signed.url().toString());
        // The headers that were signed, as the PUT must send them (the URL carries the host).
        Map<String, String> headers = new LinkedHashMap<>();
        signed.signedHeaders().forEach((name, values) -> {
            if (!name.equalsIgnoreCase("host")) {
                headers.put(name, String.join(",", values));
            }
        });
        reply.put("headers", headers);
        reply.put("expiresAt", clock.instant().plus(uploads.expiry()).toString());
        return ApiReply.json(201, reply);
    }
}
