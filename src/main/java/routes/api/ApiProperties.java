package routes.api;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The HTTP API ({@code mailroutes.api.*}).
 *
 * @param keyHashes          lower-case hex SHA-256 of every accepted {@code X-API-Key}; keys themselves are never configured
 * @param requestsPerSecond  per key; more gets 429
 * @param maxAttachmentBytes decoded size of all attachments of one email
 */
@Validated
@ConfigurationProperties("mailroutes.api")
public record ApiProperties(
        @NotNull @DefaultValue List<String> keyHashes,
        @Min(1) @DefaultValue("50") int requestsPerSecond,
        @Min(1) @DefaultValue("100") int maxPageSize,
        @Min(1) @DefaultValue("10485760") long maxAttachmentBytes) {}
