package routes.localaws;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The flattened parameters of an AWS Query request ({@code Tags.member.1.Name=...}), with the accessors the
 * Query serialisation needs: plain values, {@code .member.N} lists and {@code .entry.N} maps.
 */
record QueryParams(Map<String, String> values) {

    /** Parses form-encoded parts; later parts win, so a body overrides the URL's query string. */
    static QueryParams parse(String... formEncodedParts) {
        Map<String, String> values = new LinkedHashMap<>();
        for (String part : formEncodedParts) {
            if (part == null || part.isEmpty()) {
                continue;
            }
            for (String pair : part.split("&")) {
                int eq = pair.indexOf('=');
                String name = eq < 0 ? pair : pair.substring(0, eq);
                String value = eq < 0 ? "" : pair.substring(eq + 1);
                values.put(decode(name), decode(value));
            }
        }
        return new QueryParams(values);
    }

    String get(String name) {
        return values.get(name);
    }

    String get(String name, String fallback) {
        return values.getOrDefault(name, fallback);
    }

    String require(String name) {
        String value = values.get(name);
        if (value == null || value.isEmpty()) {
            throw AwsQueryException.missingParameter(name);
        }
        return value;
    }

    /** The values of {@code prefix.member.1}, {@code prefix.member.2}, ... up to the first gap. */
    List<String> members(String prefix) {
        List<String> members = new ArrayList<>();
        for (int n = 1; values.containsKey(prefix + ".member." + n); n++) {
            members.add(values.get(prefix + ".member." + n));
        }
        return members;
    }

    /** The structures {@code prefix.1.*}, {@code prefix.2.*}, ... up to the first gap, each with the prefix removed. */
    List<QueryParams> indexed(String prefix) {
        List<QueryParams> items = new ArrayList<>();
        for (int n = 1; ; n++) {
            QueryParams item = nested(prefix + "." + n);
            if (item.values.isEmpty()) {
                return items;
            }
            items.add(item);
        }
    }

    /** The parameters below {@code prefix.}, with that prefix removed. */
    QueryParams nested(String prefix) {
        String start = prefix + ".";
        Map<String, String> nested = new LinkedHashMap<>();
        values.forEach((name, value) -> {
            if (name.startsWith(start)) {
                nested.put(name.substring(start.length()), value);
            }
        });
        return new QueryParams(nested);
    }

    /** A Query map such as {@code Attributes.entry.N.key / .value}, in request order. */
    Map<String, String> map(String prefix, String keyName, String valueName) {
        Map<String, String> map = new LinkedHashMap<>();
        for (QueryParams entry : indexed(prefix)) {
            map.put(entry.require(keyName), entry.get(valueName, ""));
        }
        return map;
    }

    private static String decode(String encoded) {
        return URLDecoder.decode(encoded, StandardCharsets.UTF_8);
    }
}
