package routes.intake;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.springframework.core.io.ClassPathResource;
import org.springframework.stereotype.Component;

/**
 * Which templates exist and what they require: {@code templates/<name>/template.json}, in S3 first,
 * then on the classpath (DESIGN §4). Names are plain words, so a name can never reach another folder.
 */
@Component
public class TemplateCatalog {

    /** A template's metadata. */
    public record Template(String name, List<String> requiredVariables, String sender) {}

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]{1,100}");
    private final CampaignObjects objects;
    private final ObjectMapper mapper = new ObjectMapper();

    public TemplateCatalog(CampaignObjects objects) {
        this.objects = objects;
    }

    public Optional<Template> find(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            return Optional.empty();
        }
        String path = "templates/" + name + "/template.json";
        Optional<String> json = objects.readText(path).or(() -> classpath(path));
        return json.map(text -> parse(name, text));
    }

    private static Optional<String> classpath(String path) {
        ClassPathResource resource = new ClassPathResource(path);
        if (!resource.exists()) {
            return Optional.empty();
        }
        try (InputStream in = resource.getInputStream()) {
            return Optional.of(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Template parse(String name, String text) {
        try {
            JsonNode node = mapper.readTree(text);
            List<String> required = new ArrayList<>();
            node.path("requiredVariables").forEach(v -> required.add(v.asText()));
            JsonNode sender = node.get("sender");
            return new Template(name, List.copyOf(required), sender == null ? null : sender.asText());
        } catch (IOException e) {
            throw new IllegalStateException("template " + name + " has an unreadable template.json", e);
        }
    }
}
