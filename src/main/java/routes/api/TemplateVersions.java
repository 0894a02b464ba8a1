package routes.api;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.stereotype.Component;
import routes.aws.AwsProperties;
import routes.intake.CampaignObjects;
import routes.send.TemplateStore;
import routes.store.Page;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;

/**
 * Templates saved through the API, in the one place every template lives: {@code templates/<name>/} in S3 (the
 * folder the send flow and the intake read, and that a person with bucket access may fill by hand). A save moves
 * the folder's files to {@code templates/<name>/previous/} first, so one earlier version is always kept; a
 * rollback swaps the two.
 */
@Component
public class TemplateVersions {

    static final String PREVIOUS = "previous/";

    private final S3Client s3;
    private final CampaignObjects objects;
    private final TemplateStore store;
    private final String bucket;

    public TemplateVersions(S3Client s3, CampaignObjects objects, TemplateStore store, AwsProperties aws) {
        this.s3 = s3;
        this.objects = objects;
        this.store = store;
        this.bucket = aws.bucket();
    }

    /** The template's files as saved in S3 (not a template only bundled with the application). */
    public Optional<Map<String, String>> current(String name) {
        return store.inS3(folder(name));
    }

    /** The previous version's files, if a save or rollback left one. */
    public Optional<Map<String, String>> previous(String name) {
        return store.inS3(folder(name) + PREVIOUS);
    }

    /** The saved template's template.json alone. */
    public Optional<String> info(String name) {
        return store.storedText(folder(name) + TemplateStore.INFO);
    }

    /** Writes {@code files} as the template; {@code replaced}, what was there, becomes the previous version. */
    public void save(String name, Map<String, String> files, Optional<Map<String, String>> replaced) {
        String folder = folder(name);
        replaced.ifPresent(current -> write(folder + PREVIOUS, current));
        write(folder, files);
    }

    /** The previous version becomes the template and the template the previous one; the restored files, or empty without a previous. */
    public Optional<Map<String, String>> rollback(String name) {
        String folder = folder(name);
        Optional<Map<String, String>> previous = previous(name);
        Optional<Map<String, String>> current = current(name);
        if (previous.isEmpty() || current.isEmpty()) {
            return Optional.empty();
        }
        write(folder + PREVIOUS, current.get());
        write(folder, previous.get());
        return previous;
    }

    /** Deletes the template and its previous version; false when none was stored. */
    public boolean delete(String name) {
        return objects.deleteUnder(folder(name)) > 0;
    }

    /** Names of the stored templates, a page at a time (the cursor is S3's continuation token). */
    public Page<String> names(int limit, String cursor) {
        ListObjectsV2Response page;
        try {
            page = s3.listObjectsV2(b -> b.bucket(bucket).prefix(TemplateStore.PREFIX).delimiter("/").maxKeys(limit)
                    .continuationToken(cursor == null || cursor.isBlank() ? null : cursor));
        } catch (software.amazon.awssdk.services.s3.model.S3Exception badToken) {
            throw new IllegalArgumentException("not a continuation token", badToken);
        }
        List<String> names = page.commonPrefixes().stream()
                .map(p -> p.prefix().substring(TemplateStore.PREFIX.length(), p.prefix().length() - 1)).toList();
        return new Page<>(names, Boolean.TRUE.equals(page.isTruncated()) ? page.nextContinuationToken() : null);
    }

    /** The Velocity files first and template.json last: a reader starts from template.json. */
    private void write(String folder, Map<String, String> files) {
        TemplateStore.FILES.stream().skip(1).filter(files::containsKey).forEach(file -> put(folder + file, files.get(file)));
        put(folder + TemplateStore.INFO, files.get(TemplateStore.INFO));
    }

    private void put(String key, String text) {
        s3.putObject(b -> b.bucket(bucket).key(key).contentType(key.endsWith(".json") ? "application/json" : "text/plain; charset=utf-8"),
                RequestBody.fromString(text));
    }

    private static String folder(String name) {
        return TemplateStore.PREFIX + name + "/";
    }
}
