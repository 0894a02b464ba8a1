package routes.store;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;

/** Reading typed values out of DynamoDB items, so no table class repeats the null checks. */
final class Items {

    /** Keys per BatchGetItem call (the API's limit). */
    private static final int BATCH_GET_LIMIT = 100;

    private Items() {
    }

    /**
     * The items of {@code table} whose string key {@code keyName} is one of {@code keys} (absent ones
     * are left out), in one BatchGetItem per 100 keys, unprocessed keys asked again.
     *
     * @param names the {@code #name} placeholders the projection uses (reserved words), maybe empty
     */
    static List<Map<String, AttributeValue>> batchGet(DynamoDbClient dynamo, String table, String keyName,
                                                      List<String> keys, String projection, Map<String, String> names) {
        List<Map<String, AttributeValue>> found = new ArrayList<>();
        for (int from = 0; from < keys.size(); from += BATCH_GET_LIMIT) {
            List<Map<String, AttributeValue>> batch = keys.subList(from, Math.min(from + BATCH_GET_LIMIT, keys.size()))
                    .stream().map(key -> Map.of(keyName, s(key))).toList();
            KeysAndAttributes.Builder read = KeysAndAttributes.builder().keys(batch).projectionExpression(projection);
            if (!names.isEmpty()) {
                read.expressionAttributeNames(names);
            }
            Map<String, KeysAndAttributes> request = Map.of(table, read.build());
            while (!request.isEmpty()) {
                Map<String, KeysAndAttributes> pending = request;
                BatchGetItemResponse response = dynamo.batchGetItem(b -> b.requestItems(pending));
                found.addAll(response.responses().getOrDefault(table, List.of()));
                request = response.unprocessedKeys();
            }
        }
        return found;
    }

    static String string(Map<String, AttributeValue> item, String name) {
        AttributeValue value = item.get(name);
        return value == null ? null : value.s();
    }

    static long number(Map<String, AttributeValue> item, String name) {
        AttributeValue value = item.get(name);
        return value == null || value.n() == null ? 0 : Long.parseLong(value.n());
    }

    static Optional<Instant> instant(Map<String, AttributeValue> item, String name) {
        return Optional.ofNullable(string(item, name)).map(Instant::parse);
    }

    static AttributeValue s(String value) {
        return AttributeValue.fromS(value);
    }

    static AttributeValue n(long value) {
        return AttributeValue.fromN(Long.toString(value));
    }

    /** An opaque page cursor for a LastEvaluatedKey (every key attribute of our tables is a string). */
    static String cursor(Map<String, AttributeValue> lastKey) {
        if (lastKey == null || lastKey.isEmpty()) {
            return null;
        }
        StringBuilder text = new StringBuilder();
        lastKey.forEach((name, value) -> text.append(text.isEmpty() ? "" : "&")
                .append(URLEncoder.encode(name, StandardCharsets.UTF_8)).append('=')
                .append(URLEncoder.encode(value.s(), StandardCharsets.UTF_8)));
        return Base64.getUrlEncoder().withoutPadding().encodeToString(text.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** The ExclusiveStartKey of a cursor; null for none. Throws IllegalArgumentException for a malformed cursor. */
    static Map<String, AttributeValue> startKey(String cursor) {
        if (cursor == null || cursor.isBlank()) {
            return null;
        }
        Map<String, AttributeValue> key = new HashMap<>();
        String text;
        try {
            text = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException notBase64) {
            throw new IllegalArgumentException("malformed cursor");
        }
        for (String pair : text.split("&")) {
            String[] parts = pair.split("=", 2);
            if (parts.length != 2) {
                throw new IllegalArgumentException("malformed cursor");
            }
            key.put(URLDecoder.decode(parts[0], StandardCharsets.UTF_8), s(URLDecoder.decode(parts[1], StandardCharsets.UTF_8)));
        }
        return key;
    }
}
