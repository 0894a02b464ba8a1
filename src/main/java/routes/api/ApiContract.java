package routes.api;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.model.Request;
import com.atlassian.oai.validator.model.SimpleRequest;
import com.atlassian.oai.validator.report.LevelResolver;
import com.atlassian.oai.validator.report.ValidationReport;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.parameters.Parameter;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import routes.store.SuppressionList;
import org.apache.camel.support.ExchangeHelper;
import org.springframework.core.io.ClassPathResource;
import org.springframework.stereotype.Component;

/**
 * The API contract, {@value #SPECIFICATION} on the classpath: the one file the REST DSL serves, each request is
 * checked against before its operation runs (a problem becomes the seed 004 error naming the field), and
 * {@code GET /api/v1/openapi.json} answers with (as JSON). It also says which scope each operation needs
 * ({@code x-mailroutes-scope}) and which operations are public ({@code security: []}).
 */
@Component
public class ApiContract {

    public static final String SPECIFICATION = "api/mailroutes-api.yaml";
    static final String SCOPE_EXTENSION = "x-mailroutes-scope";

    private static final Pattern QUOTED = Pattern.compile("\\[\"([^\"]+)\"");
    private static final Pattern ALLOWED_TYPE = Pattern.compile("allowed: \\[\"([a-z]+)\"");

    private final JsonNode document;
    private final Map<String, Operation> operations = new HashMap<>();
    private final OpenAPI openApi;
    private final OpenApiInteractionValidator validator;

    public ApiContract() {
        String text;
        try {
            text = new ClassPathResource(SPECIFICATION).getContentAsString(StandardCharsets.UTF_8);
            document = new YAMLMapper().readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + SPECIFICATION, e);
        }
        ParseOptions options = new ParseOptions();
        options.setResolve(true);
        options.setResolveFully(true);
        SwaggerParseResult parsed = new OpenAPIV3Parser().readContents(text, null, options);
        if (parsed.getOpenAPI() == null || !parsed.getMessages().isEmpty()) {
            throw new IllegalStateException(SPECIFICATION + " is not a valid OpenAPI document: " + parsed.getMessages());
        }
        openApi = parsed.getOpenAPI();
        openApi.getPaths().values().forEach(path -> path.readOperations().forEach(o -> operations.put(o.getOperationId(), o)));
        // Authentication and scopes are the api-keyed route configuration's; here only the request's shape.
        validator = OpenApiInteractionValidator.createFor(openApi)
                .withLevelResolver(LevelResolver.create()
                        .withLevel("validation.request.security", ValidationReport.Level.IGNORE)
                        .build())
                .build();
    }

    /** The document as JSON, for {@code GET /api/v1/openapi.json}. */
    public ApiReply document() {
        return ApiReply.json(200, document);
    }

    public List<String> operationIds() {
        return List.copyOf(operations.keySet());
    }

    /** Whether the contract lets the operation be called without a key ({@code security: []}). */
    public boolean isPublic(String operationId) {
        List<?> security = operation(operationId).getSecurity();
        return security != null && security.isEmpty();
    }

    /** The scope a key needs for the operation; every keyed operation names one. */
    public String scopeOf(String operationId) {
        Map<String, Object> extensions = operation(operationId).getExtensions();
        Object scope = extensions == null ? null : extensions.get(SCOPE_EXTENSION);
        if (scope == null) {
            throw new IllegalStateException(SPECIFICATION + ": operation " + operationId + " names no " + SCOPE_EXTENSION);
        }
        return scope.toString();
    }

    /**
     * What a call of the operation acts on, for the audit log: its path parameters joined by {@code /}, an address
     * among them as its pseudonym (the audit log keeps no addresses).
     */
    public String target(String operationId, Message in) {
        List<Parameter> parameters = operation(operationId).getParameters();
        if (parameters == null) {
            return "";
        }
        return parameters.stream().filter(p -> "path".equals(p.getIn())).map(p -> {
            String value = in.getHeader(p.getName(), String.class);
            return value != null && "email".equals(p.getName()) ? SuppressionList.pseudonym(pathValue(value)) : value;
        }).collect(Collectors.joining("/"));
    }

    private Operation operation(String operationId) {
        Operation operation = operations.get(operationId);
        if (operation == null) {
            throw new IllegalArgumentException("No operation " + operationId + " in " + SPECIFICATION);
        }
        return operation;
    }

    /** Checks the request of the current route's operation against the contract; the first problem is a 400. */
    public void validate(Exchange exchange) {
        String operationId = ExchangeHelper.getAtRouteId(exchange);
        if (!operations.containsKey(operationId)) {
            return;
        }
        check(request(exchange));
    }

    /**
     * Checks a body meant for {@code POST /emails} that came another way (the email sink Kamelet), so that
     * it is refused exactly as the API refuses it.
     */
    public void validateSendEmail(String body) {
        check(new SimpleRequest.Builder("POST", "/api/v1/emails").withContentType("application/json").withBody(body).build());
    }

    /** Checks an uploaded template bundle as the body of {@code PUT /templates/{name}}, so it is refused as that would be. */
    public void validateTemplate(String name, String body) {
        check(new SimpleRequest.Builder("PUT", "/api/v1/templates/" + name).withContentType("application/json").withBody(body).build());
    }

    private void check(Request request) {
        ValidationReport report = validator.validateRequest(request);
        report.getMessages().stream().filter(m -> m.getLevel() == ValidationReport.Level.ERROR).findFirst()
                .ifPresent(message -> {
                    throw problem(message);
                });
    }

    private static Request request(Exchange exchange) {
        var in = exchange.getMessage();
        String uri = in.getHeader(Exchange.HTTP_URI, String.class);
        String path = uri.contains("?") ? uri.substring(0, uri.indexOf('?')) : uri;
        SimpleRequest.Builder request = new SimpleRequest.Builder(in.getHeader(Exchange.HTTP_METHOD, String.class), path);
        query(in.getHeader(Exchange.HTTP_QUERY, String.class)).forEach(request::withQueryParam);
        String contentType = in.getHeader(Exchange.CONTENT_TYPE, String.class);
        if (contentType != null) {
            request.withContentType(contentType);
        }
        String idempotencyKey = in.getHeader("Idempotency-Key", String.class);
        if (idempotencyKey != null) {
            request.withHeader("Idempotency-Key", idempotencyKey);
        }
        String body = in.getBody(String.class);
        if (body != null && !body.isEmpty()) {
            request.withBody(body);
        }
        return request.build();
    }

    private static Map<String, List<String>> query(String query) {
        Map<String, List<String>> params = new HashMap<>();
        if (query == null || query.isBlank()) {
            return params;
        }
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            String name = decode(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
            params.computeIfAbsent(name, n -> new java.util.ArrayList<>()).add(value);
        }
        return params;
    }

    /** A path segment as the operation sees it: percent-decoded, a literal {@code +} kept (ApiInput.pathAddress). */
    private static String pathValue(String value) {
        return decode(value.replace("+", "%2B"));
    }

    private static String decode(String value) {
        try {
            return URLDecoder.decode(value, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException badEscape) {
            return value;
        }
    }

    /** The contract's verdict as the seed 004 error: which field, which rule. */
    static ApiProblem problem(ValidationReport.Message message) {
        String key = message.getKey();
        Optional<ValidationReport.MessageContext> context = message.getContext();
        String rule = key.substring(key.lastIndexOf('.') + 1);
        if (key.endsWith("invalidJson")) {
            return ApiProblem.invalid("body", "type", "Request body is not valid JSON");
        }
        Optional<String> parameter = context.flatMap(ValidationReport.MessageContext::getParameter).map(p -> p.getName());
        if (parameter.isPresent()) {
            return ApiProblem.invalid(parameter.get(), constraint(rule, message.getMessage()),
                    parameter.get() + ": " + message.getMessage());
        }
        if (key.startsWith("validation.request.body")) {
            String at = context.flatMap(ValidationReport.MessageContext::getPointers)
                    .map(ValidationReport.MessageContext.Pointers::getInstance).orElse("");
            Matcher named = QUOTED.matcher(message.getMessage());
            String field = ("required".equals(rule) || "additionalProperties".equals(rule)) && named.find()
                    ? field(at.replaceAll("/$", "") + "/" + named.group(1)) : field(at);
            return ApiProblem.invalid(field, constraint(rule, message.getMessage()), field + ": " + message.getMessage());
        }
        if (key.startsWith("validation.request.contentType")) {
            return ApiProblem.invalid("Content-Type", "application/json", message.getMessage());
        }
        return ApiProblem.invalid("request", rule, message.getMessage());
    }

    /**
     * A JSON pointer as the API names fields: {@code /attachments/0/content} is {@code attachments[0].content};
     * an element of an array of strings is the array ({@code /cc/1} is {@code cc}); the root is {@code body}.
     */
    static String field(String pointer) {
        if (pointer == null || pointer.isEmpty() || pointer.equals("/")) {
            return "body";
        }
        StringBuilder field = new StringBuilder();
        String[] parts = pointer.substring(1).split("/");
        for (int i = 0; i < parts.length; i++) {
            String part = parts[i].replace("~1", "/").replace("~0", "~");
            boolean index = part.matches("\\d+");
            if (index && i == parts.length - 1) {
                break;
            }
            if (index) {
                field.append('[').append(part).append(']');
            } else {
                field.append(field.isEmpty() ? "" : ".").append(part);
            }
        }
        return field.toString();
    }

    private static String constraint(String rule, String message) {
        return switch (rule) {
            case "additionalProperties" -> "unknown";
            case "missing" -> "required";
            case "type" -> {
                Matcher allowed = ALLOWED_TYPE.matcher(message);
                yield allowed.find() ? allowed.group(1) : "type";
            }
            default -> rule;
        };
    }
}
