package routes.integrations;

import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * The integration teams' routes directory (docs/integrations.md).
 *
 * @param dir    every {@code *.yaml} in it is loaded next to the built-in flows; unset: none
 *               (env {@code MAILROUTES_ROUTES_DIR}; Kubernetes mounts the {@code mailroutes-routes} ConfigMap there)
 * @param reload watch the directory and apply a changed file without restart; production reads it only at start
 */
@Validated
@ConfigurationProperties("mailroutes.routes")
public record RoutesDirProperties(Path dir, boolean reload) {
}
