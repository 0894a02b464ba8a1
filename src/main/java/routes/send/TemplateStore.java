package routes.send;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Optional;
import java.util.Properties;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.apache.velocity.Template;
import org.apache.velocity.runtime.RuntimeConstants;
import org.apache.velocity.runtime.RuntimeInstance;
import org.apache.velocity.runtime.parser.ParseException;
import org.apache.velocity.runtime.resource.loader.StringResourceLoader;
import org.apache.velocity.util.introspection.SecureUberspector;
import org.springframework.core.io.ClassPathResource;
import org.springframework.stereotype.Component;
import routes.aws.AwsProperties;
import routes.store.RecentReads;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/**
 * Finds {@code templates/<name>/} in S3 first, then on the classpath, parses it with a locked-down
 * Velocity (SecureUberspector: no reflection, class loading or file access from templates; the only
 * resource loader is an empty string loader, so #parse and #include reach nothing; #foreach is
 * {@link BoundedForeach}) and keeps it for
 * {@code template-cache-ttl}, so a template changed in S3 is picked up within that time.
 */
@Component
public class TemplateStore {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,99}");
    private static final String PREFIX = "templates/";

    private final S3Client s3;
    private final String bucket;
    private final ObjectMapper json;
    private final RuntimeInstance velocity = new RuntimeInstance();
    private final RecentReads<MailTemplate> templates;

    public TemplateStore(S3Client s3, AwsProperties aws, SendProperties properties, Clock clock, ObjectMapper json) {
        this.s3 = s3;
        this.bucket = aws.bucket();
        this.templates = new RecentReads<>(properties.templateCacheTtl(), clock);
        this.json = json.copy().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        Properties settings = new Properties();
        settings.setProperty(RuntimeConstants.UBERSPECT_CLASSNAME, SecureUberspector.class.getName());
        settings.setProperty(RuntimeConstants.RESOURCE_LOADERS, "string");
        settings.setProperty("resource.loader.string.class", StringResourceLoader.class.getName());
        settings.setProperty(RuntimeConstants.INPUT_ENCODING, StandardCharsets.UTF_8.name());
        settings.setProperty(RuntimeConstants.CUSTOM_DIRECTIVES, BoundedForeach.class.getName());
        velocity.init(settings);
    }

    public MailTemplate get(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new TemplateFailure("invalid template name '" + name + "'");
        }
        return templates.get(name, this::load);
    }

    private MailTemplate load(String name) {
        String dir = PREFIX + name + "/";
        Optional<String> inS3 = fromS3(dir + "template.json");
        Function<String, Optional<String>> source = inS3.isPresent()
                ? file -> fromS3(dir + file) : file -> fromClasspath(dir + file);
        String info = inS3.or(() -> source.apply("template.json"))
                .orElseThrow(() -> new TemplateFailure("template '" + name + "' not found (no " + dir + "template.json)"));
        try {
            return new MailTemplate(name, parse(name, "subject.vm", source), parse(name, "body.html.vm", source),
                    parse(name, "body.txt.vm", source), json.readValue(info, MailTemplate.Info.class));
        } catch (IOException e) {
            throw new TemplateFailure("template '" + name + "': template.json is not valid: " + e.getMessage(), e);
        }
    }

    private Template parse(String name, String file, Function<String, Optional<String>> source) {
        String text = source.apply(file).orElseThrow(() -> new TemplateFailure("template '" + name + "' has no " + file));
        Template template = new Template();
        template.setName(name + "/" + file);
        template.setRuntimeServices(velocity);
        try {
            template.setData(velocity.parse(new StringReader(text), template));
        } catch (ParseException e) {
            throw new TemplateFailure("template '" + name + "/" + file + "' does not parse: " + e.getMessage(), e);
        }
        template.initDocument();
        return template;
    }

    private Optional<String> fromS3(String key) {
        try {
            return Optional.of(s3.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asUtf8String());
        } catch (NoSuchKeyException absent) {
            return Optional.empty();
        }
    }

    private static Optional<String> fromClasspath(String path) {
        ClassPathResource resource = new ClassPathResource(path);
        if (!resource.exists()) {
            return Optional.empty();
        }
        try (InputStream in = resource.getInputStream()) {
            return Optional.of(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new TemplateFailure("template file " + path + " cannot be read", e);
        }
    }
}
