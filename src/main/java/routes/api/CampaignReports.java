package routes.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.camel.Header;
import org.springframework.stereotype.Component;
import routes.aws.AwsProperties;
import routes.intake.CampaignIntake;
import routes.store.Campaigns;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/**
 * {@code GET /api/v1/campaigns/{id}/report}: the intake report archived next to the campaign's accepted file,
 * with at most {@code limit} of its problems (a report may list up to {@code max-reported-problems}).
 */
@Component
public class CampaignReports {

    private final Campaigns campaigns;
    private final S3Client s3;
    private final String bucket;
    private final ObjectMapper json;
    private final ApiProperties api;

    public CampaignReports(Campaigns campaigns, S3Client s3, AwsProperties aws, ObjectMapper json, ApiProperties api) {
        this.campaigns = campaigns;
        this.s3 = s3;
        this.bucket = aws.bucket();
        this.json = json;
        this.api = api;
    }

    public ApiReply get(@Header("id") String id, @Header("limit") String limit) {
        int size = ApiInput.limit(limit, api.maxPageSize());
        String key = campaigns.sourceKey(id)
                .orElseThrow(() -> ApiProblem.notFound("No campaign " + id)) + CampaignIntake.REPORT_SUFFIX;
        ObjectNode report;
        try {
            report = (ObjectNode) json.readTree(s3.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asByteArray());
        } catch (NoSuchKeyException missing) {
            throw ApiProblem.notFound("No intake report for campaign " + id);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        JsonNode problems = report.path("problems");
        if (problems instanceof ArrayNode listed && listed.size() > size) {
            long cut = listed.size() - size;
            while (listed.size() > size) {
                listed.remove(listed.size() - 1);
            }
            report.put("problemsNotListed", report.path("problemsNotListed").asLong(0) + cut);
        }
        return ApiReply.json(200, report);
    }
}
