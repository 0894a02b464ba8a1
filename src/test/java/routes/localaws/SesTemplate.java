package routes.localaws;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An SES email template. Rendering covers the Handlebars subset most templates use: {@code {{name}}} and
 * dotted paths {@code {{user.name}}}, HTML-escaped in the HTML part, and {@code {{{name}}}} unescaped.
 * Block helpers ({@code {{#if}}}, {@code {{#each}}}) are not rendered and stay in the text as written.
 */
record SesTemplate(String name, String subject, String text, String html, Instant created) {

    private static final Pattern VARIABLE =
            Pattern.compile("\\{\\{\\{\\s*([\\w.-]+)\\s*}}}|\\{\\{\\s*([\\w.-]+)\\s*}}");

    /** SES sends a Rendering Failure event instead of the mail when the data lacks a template variable. */
    static final class RenderingFailure extends Exception {
        RenderingFailure(String message) {
            super(message);
        }
    }

    SesMime.Content render(JsonNode data) throws RenderingFailure {
        return new SesMime.Content(fill(subject, data, false), fill(text, data, false), fill(html, data, true));
    }

    private static String fill(String part, JsonNode data, boolean html) throws RenderingFailure {
        if (part == null) {
            return null;
        }
        Matcher variable = VARIABLE.matcher(part);
        StringBuilder out = new StringBuilder();
        while (variable.find()) {
            boolean raw = variable.group(1) != null;
            String value = value(data, raw ? variable.group(1) : variable.group(2));
            variable.appendReplacement(out, Matcher.quoteReplacement(html && !raw ? escapeHtml(value) : value));
        }
        variable.appendTail(out);
        return out.toString();
    }

    private static String value(JsonNode data, String path) throws RenderingFailure {
        JsonNode node = data;
        for (String name : path.split("\\.")) {
            node = node.path(name);
        }
        if (node.isMissingNode()) {
            throw new RenderingFailure("Attribute '" + path + "' is not present in the rendering data.");
        }
        if (node.isNull()) {
            return "";
        }
        return node.isValueNode() ? node.asText() : node.toString();
    }

    /** The characters Handlebars escapes. */
    private static String escapeHtml(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (char c : text.toCharArray()) {
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#x27;");
                case '`' -> out.append("&#x60;");
                case '=' -> out.append("&#x3D;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
