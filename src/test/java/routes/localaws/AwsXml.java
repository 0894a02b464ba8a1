package routes.localaws;

import java.util.Collection;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * Writes AWS Query XML: {@code <ActionResponse><ActionResult>…</ActionResult><ResponseMetadata>} on success,
 * {@code <ErrorResponse><Error>} on failure. The SDK reads the first child of the root as the result, lists
 * as {@code <member>} elements and maps as {@code <entry><key/><value/></entry>}.
 */
final class AwsXml {

    private final StringBuilder out = new StringBuilder();

    private AwsXml() {}

    static String success(String namespace, String action, String requestId, Consumer<AwsXml> result) {
        AwsXml xml = new AwsXml();
        xml.out.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>");
        xml.out.append('<').append(action).append("Response xmlns=\"").append(namespace).append("\">");
        xml.element(action + "Result", result);
        xml.element("ResponseMetadata", metadata -> metadata.element("RequestId", requestId));
        xml.out.append("</").append(action).append("Response>");
        return xml.out.toString();
    }

    static String error(String namespace, AwsQueryException error, String requestId) {
        AwsXml xml = new AwsXml();
        xml.out.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>");
        xml.out.append("<ErrorResponse xmlns=\"").append(namespace).append("\">");
        xml.element("Error", e -> e
                .element("Type", error.type())
                .element("Code", error.code())
                .element("Message", error.getMessage()));
        xml.element("RequestId", requestId);
        xml.out.append("</ErrorResponse>");
        return xml.out.toString();
    }

    /** A text element; a null value writes nothing, as AWS omits absent members. */
    AwsXml element(String name, Object value) {
        if (value != null) {
            open(name).escape(String.valueOf(value)).close(name);
        }
        return this;
    }

    AwsXml element(String name, Consumer<AwsXml> children) {
        open(name);
        children.accept(this);
        return close(name);
    }

    <T> AwsXml members(String name, Collection<T> items, BiConsumer<AwsXml, T> member) {
        return element(name, list -> items.forEach(item -> list.element("member", m -> member.accept(m, item))));
    }

    AwsXml members(String name, Collection<String> values) {
        return element(name, list -> values.forEach(value -> list.element("member", value)));
    }

    AwsXml entries(String name, Map<String, String> map) {
        return element(name, entries -> map.forEach((key, value) ->
                entries.element("entry", entry -> entry.element("key", key).element("value", value))));
    }

    private AwsXml open(String name) {
        out.append('<').append(name).append('>');
        return this;
    }

    private AwsXml close(String name) {
        out.append("</").append(name).append('>');
        return this;
    }

    private AwsXml escape(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&apos;");
                // Carriage returns would be normalised away by the SDK's XML parser.
                case '\r' -> out.append("&#13;");
                default -> out.append(c);
            }
        }
        return this;
    }
}
