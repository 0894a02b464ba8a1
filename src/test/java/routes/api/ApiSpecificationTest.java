package routes.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.swagger.parser.OpenAPIParser;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/** The contract file as an integration team's tooling reads it: swagger-parser's validation, no errors. */
class ApiSpecificationTest {

    private final SwaggerParseResult parsed = new OpenAPIParser().readLocation(
            getClass().getClassLoader().getResource(ApiContract.SPECIFICATION).toString(), null, options());

    @Test
    void theContractValidatesWithoutAnyMessage() {
        assertThat(parsed.getMessages()).isEmpty();
        assertThat(parsed.getOpenAPI().getOpenapi()).startsWith("3.0");
    }

    @Test
    void everyOperationHasAnIdAResponseSchemaAndAScopeUnlessPublic() {
        OpenAPI api = parsed.getOpenAPI();
        List<String> scopes = Arrays.stream(ApiProperties.Scope.values()).map(s -> s.name().toLowerCase(Locale.ROOT)).toList();
        api.getPaths().forEach((path, item) -> item.readOperationsMap().forEach((method, operation) -> {
            String name = method + " " + path;
            assertThat(operation.getOperationId()).as(name).isNotBlank();
            assertThat(operation.getResponses()).as(name).anySatisfy((status, response) -> {
                assertThat(status).startsWith("2");
                assertThat(status.equals("204") || response.getContent() != null).as(name + " " + status).isTrue();
            });
            if (!isPublic(operation)) {
                assertThat(operation.getExtensions()).as(name).containsKey(ApiContract.SCOPE_EXTENSION);
                assertThat(scopes).as(name).contains(operation.getExtensions().get(ApiContract.SCOPE_EXTENSION).toString());
                assertThat(operation.getResponses()).as(name).containsKeys("401", "403", "429");
            }
        }));
        assertThat(api.getComponents().getSchemas()).containsKeys("Error", "StatusEvent", "CampaignSummaryCounts");
        assertThat(api.getComponents().getHeaders()).containsKeys("WebhookId", "WebhookTimestamp", "WebhookSignature",
                "RateLimitLimit", "RateLimitRemaining", "RetryAfter");
    }

    private static boolean isPublic(Operation operation) {
        return operation.getSecurity() != null && operation.getSecurity().isEmpty();
    }

    private static ParseOptions options() {
        ParseOptions options = new ParseOptions();
        options.setResolve(true);
        options.setResolveFully(true);
        options.setValidateInternalRefs(true);
        return options;
    }
}
