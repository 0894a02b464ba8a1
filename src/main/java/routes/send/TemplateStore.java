package routes.send;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
    /** Where templates live in S3 (and on the classpath): {@code templates/<name>/<file>}. */
    public static final String PREFIX = "templates/";
    public static final String INFO = "template.json";
    public static final String SUBJECT = "subject.vm";
    public static final String HTML = "body.html.vm";
    public static final String TEXT = "body.txt.vm";
    /** The files of a template folder. */
    public static final List<String> FILES = List.of(INFO, SUBJECT, HTML, TEXT);

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

    /** Makes the next {@link #get} of this replica read the template again (it was just saved or deleted here). */
    public void forget(String name) {
        templates.forget(name);
    }

    /**
     * Parses a template from its files' texts ({@link #FILES} → text), exactly as {@link #get} would parse it once
     * saved: the check before a template is saved.
     */
    public MailTemplate compile(String name, Map<String, String> files) {
        Function<String, Optional<String>> source = file -> Optional.ofNullable(files.get(file));
        return build(name, source.apply(INFO).orElseThrow(() -> new TemplateFailure("template '" + name + "' has no " + INFO)),
                source);
    }

    /**
     * The texts of a template's files ({@link #FILES} → text) as {@link #get} finds them, in S3 first, then on the
     * classpath; read now, not cached. Empty when neither has it.
     */
    public Optional<Map<String, String>> texts(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            return Optional.empty();
        }
        String dir = PREFIX + name + "/";
        return inS3(dir).or(() -> folder(dir, TemplateStore::fromClasspath));
    }

    /** The texts of the template files in S3 folder {@code dir} ({@link #FILES} → text); empty without its template.json. */
    public Optional<Map<String, String>> inS3(String dir) {
        return folder(dir, this::storedText);
    }

    /** The text of S3 object {@code key}, if there is one. */
    public Optional<String> storedText(String key) {
        try {
            return Optional.of(s3.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asUtf8String());
        } catch (NoSuchKeyException absent) {
            return Optional.empty();
        }
    }

    private static Optional<Map<String, String>> folder(String dir, Function<String, Optional<String>> read) {
        return read.apply(dir + INFO).map(info -> {
            Map<String, String> texts = new LinkedHashMap<>();
            texts.put(INFO, info);
            FILES.stream().skip(1).forEach(file -> read.apply(dir + file).ifPresent(text -> texts.put(file, text)));
            return texts;
        });
    }

    private MailTemplate load(String name) {
        return compile(name, texts(name).orElseThrow(() ->
                new TemplateFailure("template '" + name + "' not found (no " + PREFIX + name + "/" + INFO + ")")));
    }

    private MailTemplate build(String name, String info, Function<String, Optional<String>> source) {
        try {
            return new MailTemplate(name, parse(name, SUBJECT, source), parse(name, HTML, source),
                    parse(name, TEXT, source), json.readValue(info, MailTemplate.Info.class));
        } catch (IOException e) {
            throw new TemplateFailure("template '" + name + "': " + INFO + " is not valid: " + e.getMessage(), e,
                    new TemplateFailure.Where(INFO, 0));
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
            // JavaCC: the token the parser could not take is the one after currentToken.
            int line = e.currentToken != null && e.currentToken.next != null ? e.currentToken.next.beginLine : 0;
            throw new TemplateFailure("template '" + name + "/" + file + "' does not parse: " + e.getMessage(), e,
                    new TemplateFailure.Where(file, line));
        }
        template.initDocument();
        return template;
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
