package routes.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.apache.camel.Exchange;
import org.apache.camel.Header;
import org.springframework.stereotype.Component;
import routes.aws.AwsProperties;
import routes.intake.FileFormat;
import routes.intake.IntakeFile;
import routes.intake.IntakeFiles;
import routes.intake.IntakeReport;
import routes.intake.Problem;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/**
 * {@code POST /api/v1/campaigns}: the request becomes a campaign file that the intake takes like a dropped one. Inline
 * recipients make a campaign JSON ({@value #STAGED}{@code <campaignId>-<hash>.json}, recipient {@code i} on line
 * {@code i + 2}); an uploaded CSV gets a manifest beside it in the same place. The intake's report is the answer:
 * 201 accepted or scheduled, 422 rejected, 409 a duplicate. With {@code Idempotency-Key} the campaign id derives
 * from the key and the answer is kept under {@value #ANSWERS}: the same key and body get it again, another body a 409.
 */
@Component
public class CampaignRequests {

    static final String STAGED = "api/campaigns/";
    static final String ANSWERS = "api/idempotency/campaigns/";
    private static final String REQUEST_HASH = "campaignRequestHash";

    /** An answer kept for repeats of the same Idempotency-Key. */
    record Kept(String requestHash, int status, JsonNode body) {}

    private final S3Client s3;
    private final AwsProperties aws;
    private final IntakeFiles intakeFiles;
    private final ObjectMapper json;

    public CampaignRequests(S3Client s3, AwsProperties aws, IntakeFiles intakeFiles, ObjectMapper json) {
        this.s3 = s3;
        this.aws = aws;
        this.intakeFiles = intakeFiles;
        this.json = json;
    }

    /** The staged file for the intake, or the kept {@link ApiReply} of an idempotent repeat. */
    public Object stage(String body, @Header("Idempotency-Key") String idempotencyKey, Exchange exchange) throws IOException {
        String requestHash = HexFormat.of().formatHex(ApiKeys.sha256(body));
        exchange.setProperty(REQUEST_HASH, requestHash);
        String scopedKey = scoped(idempotencyKey, exchange);
        if (scopedKey != null) {
            Optional<Kept> kept = kept(scopedKey);
            if (kept.isPresent()) {
                return repeat(kept.get(), requestHash);
            }
        }
        ObjectNode request = (ObjectNode) json.readTree(body);
        if (request.path("recipients").isEmpty()) {
            request.remove("recipients");   // generated clients send an empty list for "none"
        }
        if (request.has("recipients") == request.has("recipientsKey")) {
            throw ApiProblem.invalid("recipients", "exclusive", "Give recipients or recipientsKey, one of them");
        }
        String campaignId = request.hasNonNull("campaignId") ? request.get("campaignId").asText()
                : scopedKey != null ? "api-" + HexFormat.of().formatHex(ApiKeys.sha256("campaigns\n" + scopedKey), 0, 8)
                : "api-" + UUID.randomUUID();
        request.put("campaignId", campaignId);
        exchange.setProperty(ApiAudit.TARGET, campaignId);
        String base = STAGED + campaignId + "-" + requestHash.substring(0, 12);
        JsonNode recipients = request.remove("recipients");
        if (recipients != null) {
            put(base + ".json", campaignFile(request, (ArrayNode) recipients));
            return intakeFiles.submitted(base + ".json", null);
        }
        String recipientsKey = request.remove("recipientsKey").asText();
        put(base + FileFormat.MANIFEST_SUFFIX, json.writeValueAsBytes(request));
        return intakeFiles.submitted(base + FileFormat.MANIFEST_SUFFIX, recipientsKey);
    }

    /** The intake's report as the answer; kept for repeats of the request's Idempotency-Key. */
    public ApiReply answer(IntakeReport report, @Header("Idempotency-Key") String idempotencyKey, Exchange exchange)
            throws IOException {
        String requestHash = exchange.getProperty(REQUEST_HASH, String.class);
        String scopedKey = scoped(idempotencyKey, exchange);
        if (scopedKey != null) {
            // A twin request under the same key may have finished first: its answer is this one's.
            Optional<Kept> kept = kept(scopedKey);
            if (kept.isPresent()) {
                return repeat(kept.get(), requestHash);
            }
        }
        Map<String, Object> body = new LinkedHashMap<>();
        int status = switch (report.getOutcome()) {
            case ACCEPTED, SCHEDULED -> {
                body.put("success", true);
                body.put("campaignId", report.getCampaignId());
                body.put("status", report.getOutcome().name());
                yield 201;
            }
            case REJECTED -> {
                Problem first = report.getProblems().stream().filter(p -> !p.field().isEmpty()).findFirst()
                        .orElse(new Problem(0, "body", report.getReason()));
                body.put("success", false);
                body.put("error", "VALIDATION_ERROR");
                body.put("message", "Campaign rejected: " + report.getReason());
                body.put("details", Map.of("field", first.field(), "constraint", first.reason()));
                yield 422;
            }
            case DUPLICATE -> {
                body.put("success", false);
                body.put("error", "CONFLICT");
                body.put("message", report.getReason());
                yield 409;
            }
        };
        body.put("report", report);
        if (scopedKey != null) {
            s3.putObject(b -> b.bucket(aws.bucket()).key(keptKey(scopedKey)).contentType("application/json"),
                    RequestBody.fromBytes(json.writeValueAsBytes(new Kept(requestHash, status, json.valueToTree(body)))));
        }
        return ApiReply.json(status, body);
    }

    private static ApiReply repeat(Kept kept, String requestHash) {
        if (!kept.requestHash().equals(requestHash)) {
            throw ApiProblem.conflict("Idempotency-Key was already used with a different request");
        }
        return ApiReply.json(kept.status(), kept.body());
    }

    /** The caller's Idempotency-Key within its scope (ApiCall#idempotencyScope), or null without one. */
    private static String scoped(String idempotencyKey, Exchange exchange) {
        return idempotencyKey == null ? null : ApiCall.idempotencyScope(exchange) + "\n" + idempotencyKey;
    }

    private Optional<Kept> kept(String idempotencyKey) throws IOException {
        try {
            return Optional.of(json.readValue(s3.getObjectAsBytes(b -> b.bucket(aws.bucket()).key(keptKey(idempotencyKey)))
                    .asByteArray(), Kept.class));
        } catch (NoSuchKeyException none) {
            return Optional.empty();
        }
    }

    private static String keptKey(String idempotencyKey) {
        return ANSWERS + HexFormat.of().formatHex(ApiKeys.sha256(idempotencyKey)) + ".json";
    }

    /** Campaign fields on line 1, recipient {@code i} on line {@code i + 2}: the report's lines point at them. */
    private byte[] campaignFile(ObjectNode fields, ArrayNode recipients) throws IOException {
        String head = json.writeValueAsString(fields);
        StringBuilder file = new StringBuilder(head.substring(0, head.length() - 1)).append(",\"segments\":[{\"recipients\":[");
        for (int i = 0; i < recipients.size(); i++) {
            file.append(i == 0 ? "\n" : ",\n").append(json.writeValueAsString(recipients.get(i)));
        }
        return file.append("\n]}]}").toString().getBytes(StandardCharsets.UTF_8);
    }

    private void put(String key, byte[] content) {
        s3.putObject(b -> b.bucket(aws.bucket()).key(key).contentType("application/json"), RequestBody.fromBytes(content));
    }
}
