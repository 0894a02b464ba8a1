package routes.api;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import java.util.List;
import java.util.Set;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The HTTP API ({@code mailroutes.api.*}).
 *
 * @param keys               every accepted {@code X-API-Key}, as its hash with its scopes; keys themselves are never configured
 * @param requestsPerSecond  per key and replica unless the key sets its own; more gets 429
 * @param maxAttachmentBytes decoded size of all attachments of one email
 */
@Validated
@ConfigurationProperties("mailroutes.api")
public record ApiProperties(
        @NotNull @Valid @DefaultValue List<Key> keys,
        @Min(1) int requestsPerSecond,
        @Min(1) int maxPageSize,
        @Min(1) long maxAttachmentBytes) {

    /**
     * One API key.
     *
     * @param id                names the key in the audit log and in 403/429 answers' logs (never the key itself)
     * @param hash              lower-case hex SHA-256 of the key ({@code printf '%s' "$KEY" | sha256sum})
     * @param scopes            what it may do; an operation's scope is {@code x-mailroutes-scope} in the contract
     * @param requestsPerSecond its own limit; absent means {@code mailroutes.api.requests-per-second}
     */
    public record Key(
            @NotNull @Pattern(regexp = "[A-Za-z0-9_-]{1,64}") String id,
            @NotNull @Pattern(regexp = "[0-9a-f]{64}", message = "must be the lower-case hex SHA-256 of the key") String hash,
            @NotEmpty Set<Scope> scopes,
            @Min(1) Integer requestsPerSecond) {}

    /** What a key may do: send transactional email, read status and campaigns, control campaigns, edit suppressions, administer. */
    public enum Scope { SEND, READ, CAMPAIGNS, SUPPRESSIONS, ADMIN }
}
