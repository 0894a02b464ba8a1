package routes;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.bind.PropertySourcesPlaceholdersResolver;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.MutablePropertySources;
import org.springframework.core.env.PropertySource;
import org.springframework.core.io.ClassPathResource;

/**
 * The packaged application.yaml, the one place every default is written (the properties records hold none),
 * for the tests that bind a record without starting the application.
 */
public final class ApplicationYaml {

    private ApplicationYaml() {
    }

    /** application.yaml as Spring Boot loads it, to add last to an environment's property sources. */
    public static PropertySource<?> source() {
        try {
            return new YamlPropertySourceLoader().load("application.yaml", new ClassPathResource("application.yaml")).get(0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A binder over {@code values}, then application.yaml, with its {@code ${ENV:default}} placeholders resolved. */
    public static Binder binder(Map<String, String> values) {
        MutablePropertySources sources = new MutablePropertySources();
        sources.addLast(new MapPropertySource("test", Map.copyOf(values)));
        sources.addLast(source());
        return new Binder(ConfigurationPropertySources.from(sources), new PropertySourcesPlaceholdersResolver(sources));
    }
}
