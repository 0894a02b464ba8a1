package routes.model;

import jakarta.validation.constraints.NotBlank;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * Unsubscribe links ({@code mailroutes.unsubscribe.*}).
 *
 * @param secret the HMAC key of the tokens; required, since without it anyone could make a token
 */
@Validated
@ConfigurationProperties("mailroutes.unsubscribe")
public record UnsubscribeProperties(@NotBlank String secret) {}
