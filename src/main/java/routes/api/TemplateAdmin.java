package routes.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.camel.Header;
import org.springframework.stereotype.Component;
import routes.aws.AwsProperties;
import routes.send.MailTemplate;
import routes.send.MessageRenderer;
import routes.send.TemplateFailure;
import routes.send.TemplateStore;
import routes.store.Page;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Templates over HTTP: save (checked first by rendering the declared sample data with the send flow's renderer),
 * read, list, delete, preview, roll back. What is saved is the ordinary template folder ({@link TemplateVersions}):
 * {@code template.json} with {@code description}, {@code requiredVariables}, {@code sender}, {@code sampleData},
 * {@code version} and {@code savedAt}, and the three Velocity files.
 */
@Component
public class TemplateAdmin {

    /** Which request field each Velocity file comes from. */
    private static final Map<String, String> FIELDS = Map.of(TemplateStore.SUBJECT, "subject", TemplateStore.HTML, "html",
            TemplateStore.TEXT, "text");
    private static final String UPLOAD_KEY = "uploadKey";
    /** A template bundle larger than this is not read. */
    private static final long MAX_BUNDLE_BYTES = 3L * 1024 * 1024;

    private final TemplateVersions versions;
    private final TemplateStore store;
    private final MessageRenderer renderer;
    private final ApiContract contract;
    private final ApiProperties api;
    private final S3Client s3;
    private final AwsProperties aws;
    private final ObjectMapper json;
    private final Clock clock;

    public TemplateAdmin(TemplateVersions versions, TemplateStore store, MessageRenderer renderer, ApiContract contract,
                         ApiProperties api, S3Client s3, AwsProperties aws, ObjectMapper json, Clock clock) {
        this.versions = versions;
        this.store = store;
        this.renderer = renderer;
        this.contract = contract;
        this.api = api;
        this.s3 = s3;
        this.aws = aws;
        this.json = json;
        this.clock = clock;
    }

    /** {@code PUT /templates/{name}}: 201 new, 200 replaced (the replaced one becomes the previous version). */
    public ApiReply save(@Header("name") String name, String body) throws IOException {
        ObjectNode given = (ObjectNode) json.readTree(body);
        ObjectNode request = given.has(UPLOAD_KEY) ? bundle(name, given) : given;
        for (String field : List.of("subject", "html", "text")) {
            if (!request.path(field).isTextual()) {
                throw ApiProblem.invalid(field, "required", "Missing required field: " + field + " (or give uploadKey alone)");
            }
        }
        Optional<Map<String, String>> replaced = versions.current(name);
        int version = replaced.map(current -> info(current).path("version").asInt(0) + 1).orElse(1);
        ObjectNode info = json.createObjectNode();
        List.of("description", "requiredVariables", "sender", "sampleData").forEach(field -> {
            if (request.hasNonNull(field)) {
                info.set(field, request.get(field));
            }
        });
        info.put("version", version);
        info.put("savedAt", clock.instant().toString());
        Map<String, String> files = new LinkedHashMap<>();
        files.put(TemplateStore.INFO, json.writerWithDefaultPrettyPrinter().writeValueAsString(info));
        FIELDS.forEach((file, field) -> files.put(file, request.get(field).asText()));
        render(name, files, sampleData(info));
        versions.save(name, files, replaced);
        store.forget(name);
        return ApiReply.json(replaced.isPresent() ? 200 : 201, view(name, files, "stored"));
    }

    /** {@code GET /templates/{name}?version=current|previous}. */
    public ApiReply get(@Header("name") String name, @Header("version") String version) {
        if ("previous".equals(version)) {
            return ApiReply.json(200, view(name, versions.previous(name)
                    .orElseThrow(() -> ApiProblem.notFound("Template " + name + " has no previous version")), "previous"));
        }
        Optional<Map<String, String>> stored = versions.current(name);
        return ApiReply.json(200, view(name, stored.or(() -> store.texts(name))
                .orElseThrow(() -> ApiProblem.notFound("No template " + name)), stored.isPresent() ? "stored" : "bundled"));
    }

    /** {@code GET /templates}: the stored templates (not the ones bundled with the application), by name. */
    public ApiReply list(@Header("limit") String limit, @Header("cursor") String cursor) {
        int size = ApiInput.limit(limit, api.maxPageSize());
        Page<String> page = ApiInput.paged(cursor, () -> versions.names(size, cursor));
        List<Map<String, Object>> items = page.items().stream().map(name -> {
            JsonNode info = info(versions.info(name).orElse("{}"));
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("name", name);
            item.put("description", info.path("description").asText(null));
            item.put("version", info.path("version").asInt(0));
            item.put("savedAt", info.path("savedAt").asText(null));
            return item;
        }).toList();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("items", items);
        body.put("next", page.next());
        return ApiReply.json(200, body);
    }

    /** {@code DELETE /templates/{name}}: the stored template and its previous version. */
    public ApiReply delete(@Header("name") String name) {
        if (!versions.delete(name)) {
            throw ApiProblem.notFound("No stored template " + name);
        }
        store.forget(name);
        return ApiReply.json(204, null);
    }

    /** {@code POST /templates/{name}/rollback}: the previous version becomes the template again. */
    public ApiReply rollback(@Header("name") String name) {
        current(name);
        Map<String, String> restored = versions.rollback(name).orElseThrow(() ->
                ApiProblem.conflict("Template " + name + " has no previous version to roll back to"));
        store.forget(name);
        return ApiReply.json(200, view(name, restored, "stored"));
    }

    /** {@code POST /templates/{name}/preview}: the mail for the given variables (none or empty: the sample data), as a send renders it. */
    public ApiReply preview(@Header("name") String name, String body) throws IOException {
        Map<String, String> files = current(name);
        JsonNode variables = body == null || body.isBlank() ? json.nullNode() : json.readTree(body).path("variables");
        MessageRenderer.Content content = render(name, files, variables.isEmpty() ? sampleData(info(files)) : map(variables));
        Map<String, Object> reply = new LinkedHashMap<>();
        reply.put("subject", content.subject());
        reply.put("html", content.html());
        reply.put("text", content.text());
        return ApiReply.json(200, reply);
    }

    private Map<String, String> current(String name) {
        return store.texts(name).orElseThrow(() -> ApiProblem.notFound("No template " + name));
    }

    /** Parses and renders the files as a send would; a failure is a 422 naming the field and, if known, its line. */
    private MessageRenderer.Content render(String name, Map<String, String> files, Map<String, Object> variables) {
        try {
            MailTemplate template = store.compile(name, files);
            return renderer.preview(template, variables);
        } catch (TemplateFailure failure) {
            Optional<TemplateFailure.Where> where = failure.where();
            String field = where.map(w -> FIELDS.getOrDefault(w.file(), "body")).orElse("variables");
            Integer line = where.map(TemplateFailure.Where::line).filter(l -> l > 0).orElse(null);
            throw ApiProblem.unprocessable(field, failure.code(), failure.getMessage(), line);
        }
    }

    /** A template bundle uploaded as JSON (the same fields as the request), checked against the same contract. */
    private ObjectNode bundle(String name, ObjectNode request) throws IOException {
        // Generated clients send empty lists and maps for fields left out.
        boolean alone = request.properties().stream().allMatch(field -> field.getKey().equals(UPLOAD_KEY)
                || field.getValue().isNull() || field.getValue().isContainerNode() && field.getValue().isEmpty());
        if (!alone) {
            throw ApiProblem.invalid(UPLOAD_KEY, "exclusive", "Give uploadKey alone, or the template's fields");
        }
        String key = request.get(UPLOAD_KEY).asText();
        long size;
        try {
            size = s3.headObject(b -> b.bucket(aws.bucket()).key(key)).contentLength();
        } catch (S3Exception missing) {
            if (missing.statusCode() != 404) {
                throw missing;
            }
            throw ApiProblem.invalid(UPLOAD_KEY, "uploaded", "No file at " + key + ": PUT it to the upload URL first");
        }
        if (size > MAX_BUNDLE_BYTES) {
            throw ApiProblem.invalid(UPLOAD_KEY, "max " + MAX_BUNDLE_BYTES + " bytes", "The bundle is over " + MAX_BUNDLE_BYTES + " bytes");
        }
        String bundle = s3.getObjectAsBytes(b -> b.bucket(aws.bucket()).key(key)).asUtf8String();
        contract.validateTemplate(name, bundle);
        JsonNode content = json.readTree(bundle);
        if (!(content instanceof ObjectNode fields) || fields.has(UPLOAD_KEY)) {
            throw ApiProblem.invalid(UPLOAD_KEY, "bundle", "The bundle must hold the template's fields, not another uploadKey");
        }
        return fields;
    }

    private Map<String, Object> view(String name, Map<String, String> files, String version) {
        JsonNode info = info(files);
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("name", name);
        view.put("description", info.path("description").asText(null));
        view.put("requiredVariables", info.path("requiredVariables").isArray() ? info.get("requiredVariables") : List.of());
        view.put("sender", info.path("sender").asText(null));
        view.put("sampleData", info.path("sampleData").isObject() ? info.get("sampleData") : json.createObjectNode());
        view.put("subject", files.get(TemplateStore.SUBJECT));
        view.put("html", files.get(TemplateStore.HTML));
        view.put("text", files.get(TemplateStore.TEXT));
        view.put("version", info.path("version").asInt(0));
        view.put("savedAt", info.path("savedAt").asText(null));
        view.put("source", version);
        return view;
    }

    private JsonNode info(Map<String, String> files) {
        return info(files.get(TemplateStore.INFO));
    }

    private JsonNode info(String templateJson) {
        try {
            return json.readTree(templateJson);
        } catch (IOException e) {
            throw ApiProblem.unprocessable("body", "json", "template.json is not valid JSON: " + e.getMessage(), null);
        }
    }

    private Map<String, Object> sampleData(JsonNode info) {
        return info.path("sampleData").isObject() ? map(info.get("sampleData")) : Map.of();
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> map(JsonNode node) {
        return json.convertValue(node, Map.class);
    }
}
