package routes.integrations;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.model.EndpointRequiredDefinition;
import org.apache.camel.model.ModelCamelContext;
import org.apache.camel.model.ProcessorDefinitionHelper;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.spi.Resource;
import org.apache.camel.support.FileWatcherResourceReloadStrategy;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.spring.boot.CamelContextConfiguration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Loads the integration teams' YAML routes from {@code mailroutes.routes.dir} next to the built-in flows,
 * and with {@code mailroutes.routes.reload} applies each changed file while running. A file is checked
 * whole before anything changes: it must parse, give every route an id, and take no id that a built-in
 * flow or another file owns. At start-up a bad file stops the application; under reload it is refused
 * with the reason logged, and the routes already running (its own previous version included) keep running.
 * Deleting a file under reload stops and removes its routes.
 */
@Component
public class IntegrationRouteFiles implements CamelContextConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(IntegrationRouteFiles.class);

    private final RoutesDirProperties properties;
    private final StatusSubscriptions statusSubscriptions;
    /** Route ids by the integration file that defines them. */
    private final Map<Path, Set<String>> loaded = new HashMap<>();
    private volatile String lastRefusal;

    public IntegrationRouteFiles(RoutesDirProperties properties, StatusSubscriptions statusSubscriptions) {
        this.properties = properties;
        this.statusSubscriptions = statusSubscriptions;
    }

    /** The directory read, absolute; empty when none is configured. */
    public Optional<Path> directory() {
        return Optional.ofNullable(properties.dir()).map(Path::toAbsolutePath);
    }

    /** Why the last changed file was refused under reload (null once a file was applied since). */
    public String lastRefusal() {
        return lastRefusal;
    }

    @Override
    public void beforeApplicationStart(CamelContext context) {
        Optional<Path> directory = directory();
        if (directory.isEmpty()) {
            return;
        }
        Path dir = directory.get();
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("mailroutes.routes.dir: cannot create " + dir, e);
        }
        List<Path> files = routeFiles(dir);
        for (Path file : files) {
            try {
                apply(context, file);
            } catch (RefusedRouteFile refused) {
                throw new IllegalStateException(refused.getMessage(), refused.getCause());
            }
        }
        LOG.info("Integration routes: {} file(s) from {}", files.size(), dir);
        if (properties.reload()) {
            FileWatcherResourceReloadStrategy watcher = new FileWatcherResourceReloadStrategy(dir.toString());
            watcher.setFileFilter(f -> isRouteFileName(f.toPath()));
            watcher.setResourceReload((name, resource) -> reload(context, Path.of(name)));
            try {
                context.addService(watcher);
            } catch (Exception e) {
                throw new IllegalStateException("mailroutes.routes.reload: cannot watch " + dir, e);
            }
        }
    }

    @Override
    public void afterApplicationStart(CamelContext context) {
        // the watcher runs as a Camel service from here on
    }

    private void reload(CamelContext context, Path file) {
        Path absolute = file.toAbsolutePath();
        try {
            if (Files.exists(absolute)) {
                apply(context, absolute);
                LOG.info("Integration route file {} applied: routes {}", file.getFileName(), loaded.get(absolute));
            } else {
                LOG.info("Integration route file {} deleted: routes {} removed", file.getFileName(), remove(context, absolute));
            }
            lastRefusal = null;
        } catch (RefusedRouteFile refused) {
            lastRefusal = refused.getMessage();
            LOG.error("{}; the routes already running keep running", refused.getMessage(), refused.getCause());
        }
    }

    /** Stops and removes the routes a deleted file defined (their status queues stay, with what they hold). */
    private synchronized Set<String> remove(CamelContext context, Path file) {
        ModelCamelContext model = (ModelCamelContext) context;
        Set<String> ids = loaded.getOrDefault(file, Set.of());
        try {
            removeRoutes(model, ids);
        } catch (Exception e) {
            throw refused(file, null, "its routes could not be stopped: " + reason(e), e);
        }
        loaded.remove(file);
        return ids;
    }

    /**
     * Removes routes and the status-source Kamelet routes reading their queues: Camel leaves a Kamelet's route
     * running when the route using it goes, and the next version's Kamelet route would then find its queue taken.
     */
    private void removeRoutes(ModelCamelContext model, Set<String> ids) throws Exception {
        Set<String> queues = ids.stream().map(id -> "aws2-sqs://" + statusSubscriptions.queueName(id)).collect(Collectors.toSet());
        for (Route route : List.copyOf(model.getRoutes())) {
            String uri = route.getEndpoint().getEndpointUri();
            if (route.isCreatedByKamelet() && queues.contains(uri.contains("?") ? uri.substring(0, uri.indexOf('?')) : uri)) {
                model.getRouteController().stopRoute(route.getRouteId());
                model.removeRoute(route.getRouteId());
            }
        }
        model.removeRouteDefinitions(ids.stream().map(model::getRouteDefinition).filter(Objects::nonNull).toList());
    }

    /** Checks the whole file, then replaces the routes it defined before (if any) with the new ones. */
    private synchronized void apply(CamelContext context, Path file) {
        ModelCamelContext model = (ModelCamelContext) context;
        List<RouteBuilder> builders = parse(context, file);
        Set<String> ids = new LinkedHashSet<>();
        Map<String, String> filterPolicies = new LinkedHashMap<>();
        for (RouteBuilder builder : builders) {
            for (RouteDefinition route : builder.getRouteCollection().getRoutes()) {
                String id = route.getRouteId();
                if (id == null || id.isBlank()) {
                    throw refused(file, route, "a route has no id (every integration route needs one: it names the route"
                            + " in logs and metrics, and the status-source queue)", null);
                }
                if (!ids.add(id)) {
                    throw refused(file, route, "route id " + id + " is used twice in this file", null);
                }
                owner(model, file, id).ifPresent(other -> {
                    throw refused(file, route, "route id " + id + " is already defined by " + other
                            + "; an integration route cannot replace it", null);
                });
                try {
                    checkEndpoints(context, route);
                    statusSubscriptions.filterPolicy(context, route).ifPresent(policy -> filterPolicies.put(id, policy));
                } catch (RuntimeException e) {
                    throw refused(file, route, "route " + id + ": " + reason(e), e);
                }
            }
        }
        filterPolicies.forEach((id, policy) -> {
            try {
                statusSubscriptions.subscribe(id, policy);
            } catch (RuntimeException e) {
                throw refused(file, null, "route " + id + ": its status queue: " + reason(e), e);
            }
        });
        Set<String> previousIds = loaded.getOrDefault(file, Set.of());
        List<RouteDefinition> previous = previousIds.stream().map(model::getRouteDefinition).filter(Objects::nonNull).toList();
        try {
            removeRoutes(model, previousIds);
        } catch (Exception e) {
            throw refused(file, null, "its previous routes could not be stopped: " + e.getMessage(), e);
        }
        try {
            for (RouteBuilder builder : builders) {
                builder.addRoutesToCamelContext(context);
            }
        } catch (Exception e) {
            restore(model, ids, previous);
            throw refused(file, null, reason(e), e);
        }
        loaded.put(file, ids);
    }

    /**
     * Routes are built only when Camel starts, after the files were read, and a failure then names the route
     * id alone: the usual mistakes (a missing placeholder, a component not in the image) are caught here.
     */
    private static void checkEndpoints(CamelContext context, RouteDefinition route) {
        List<String> uris = new ArrayList<>();
        uris.add(route.getInput().getEndpointUri());
        ProcessorDefinitionHelper.filterTypeInOutputs(route.getOutputs(), EndpointRequiredDefinition.class)
                .forEach(to -> uris.add(to.getEndpointUri()));
        for (String uri : uris) {
            if (uri == null || uri.contains("${")) {
                continue;
            }
            String resolved = context.resolvePropertyPlaceholders(uri);
            String scheme = resolved.contains(":") ? resolved.substring(0, resolved.indexOf(':')) : resolved;
            if (context.getComponent(scheme) == null) {
                throw new IllegalArgumentException("no component " + scheme + " in this image (" + uri + ")");
            }
        }
    }

    private List<RouteBuilder> parse(CamelContext context, Path file) {
        Resource resource = PluginHelper.getResourceLoader(context).resolveResource("file:" + file);
        try {
            Collection<RoutesBuilder> found = PluginHelper.getRoutesLoader(context).findRoutesBuilders(List.of(resource));
            List<RouteBuilder> builders = new ArrayList<>();
            for (RoutesBuilder builder : found) {
                RouteBuilder routes = (RouteBuilder) builder;
                routes.configureRoutes(context);
                builders.add(routes);
            }
            return builders;
        } catch (Exception e) {
            throw refused(file, null, reason(e), e);
        }
    }

    /** The built-in flow file or integration file that already defines a route id, other than {@code file}. */
    private Optional<String> owner(ModelCamelContext model, Path file, String id) {
        for (Map.Entry<Path, Set<String>> entry : loaded.entrySet()) {
            if (!entry.getKey().equals(file) && entry.getValue().contains(id)) {
                return Optional.of(entry.getKey().getFileName().toString());
            }
        }
        if (loaded.getOrDefault(file, Set.of()).contains(id)) {
            return Optional.empty();
        }
        RouteDefinition existing = model.getRouteDefinition(id);
        if (existing == null) {
            return Optional.empty();
        }
        Resource source = existing.getResource();
        return Optional.of(source == null ? "the built-in Java configuration" : "built-in " + source.getLocation());
    }

    private static void restore(ModelCamelContext model, Set<String> ids, List<RouteDefinition> previous) {
        try {
            model.removeRouteDefinitions(ids.stream().map(model::getRouteDefinition).filter(Objects::nonNull).toList());
            model.addRouteDefinitions(previous);
        } catch (Exception e) {
            LOG.error("Could not restore the previous routes {}", previous.stream().map(RouteDefinition::getRouteId).toList(), e);
        }
    }

    private static RefusedRouteFile refused(Path file, RouteDefinition route, String reason, Throwable cause) {
        String line = route != null && route.getLineNumber() > 0 ? ", line " + route.getLineNumber() : "";
        return new RefusedRouteFile("Integration route file " + file + line + " refused: " + reason, cause);
    }

    /** Every distinct message down the causes: the YAML parser's carries the line and column. */
    private static String reason(Throwable e) {
        List<String> parts = new ArrayList<>();
        for (Throwable t = e; t != null; t = t.getCause()) {
            String message = t.getMessage();
            if (message != null && parts.stream().noneMatch(part -> part.contains(message))) {
                parts.add(message);
            }
        }
        return parts.isEmpty() ? e.getClass().getName() : String.join(": ", parts);
    }

    private static List<Path> routeFiles(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(IntegrationRouteFiles::isRouteFile).map(Path::toAbsolutePath).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("mailroutes.routes.dir: cannot list " + dir, e);
        }
    }

    private static boolean isRouteFile(Path file) {
        return isRouteFileName(file) && Files.isRegularFile(file);
    }

    /** Hidden files are a writer's work in progress (write, then move into place). */
    private static boolean isRouteFileName(Path file) {
        String name = file.getFileName().toString();
        return name.endsWith(".yaml") && !name.startsWith(".");
    }

    /** A file that was not applied, and why. */
    static final class RefusedRouteFile extends RuntimeException {
        RefusedRouteFile(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
