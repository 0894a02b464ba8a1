package routes.api;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import routes.model.Mailbox;

/** Checks of request values shared by the API beans; each failure names the field and the constraint. */
final class ApiInput {

    /** RFC 5322 addr-spec, ASCII local part (SES has no SMTPUTF8), a dotted domain. */
    private static final Pattern ADDRESS = Pattern.compile(
            "[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*@[\\p{L}\\p{N}-]+(\\.[\\p{L}\\p{N}-]+)+");
    private static final Pattern NAMED_ADDRESS = Pattern.compile("[^<>]*<([^<>]+)>");

    private ApiInput() {
    }

    static boolean isAddress(String value) {
        return value != null && value.length() <= 254 && ADDRESS.matcher(value.trim()).matches();
    }

    /** An address, or "Display Name &lt;address&gt;", that the MIME layer can write as one sender. */
    static boolean isMailbox(String value) {
        if (!Mailbox.parses(value)) {
            return false;
        }
        var named = NAMED_ADDRESS.matcher(value.trim());
        return named.matches() ? isAddress(named.group(1)) : isAddress(value);
    }

    /**
     * An address from a path segment, which reaches the route still percent-encoded ({@code a%40example.org},
     * as {@code encodeURIComponent} sends it). Decoded here, with a literal {@code +} kept as the plus of a
     * sub-address rather than a space (form decoding is not URL decoding).
     */
    static String pathAddress(String field, String value) {
        String decoded;
        try {
            decoded = value == null ? null : URLDecoder.decode(value.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException badEscape) {
            throw ApiProblem.invalid(field, "email", field + " is not a valid percent-encoded email address");
        }
        return address(field, decoded);
    }

    static String address(String field, String value) {
        if (value == null || value.isBlank()) {
            throw ApiProblem.invalid(field, "required", "Missing required field: " + field);
        }
        if (!isAddress(value)) {
            throw ApiProblem.invalid(field, "email", field + " is not a valid email address");
        }
        return value.trim();
    }

    static int limit(String value, int max) {
        if (value == null || value.isBlank()) {
            return Math.min(50, max);
        }
        try {
            int limit = Integer.parseInt(value);
            if (limit >= 1 && limit <= max) {
                return limit;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw ApiProblem.invalid("limit", "range 1.." + max, "limit must be a number from 1 to " + max);
    }

    static <E extends Enum<E>> E oneOf(String field, String value, Class<E> type) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Enum.valueOf(type, value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw ApiProblem.invalid(field, "one of " + Arrays.toString(type.getEnumConstants()),
                    field + " must be one of " + Arrays.toString(type.getEnumConstants()));
        }
    }

    /** Runs a paged store query, turning a malformed cursor (the store's IllegalArgumentException) into a 400. */
    static <T> T paged(String cursor, Supplier<T> query) {
        try {
            return query.get();
        } catch (IllegalArgumentException malformed) {
            if (cursor == null || cursor.isBlank()) {
                throw malformed;
            }
            throw ApiProblem.invalid("cursor", "cursor", "cursor is not one this API returned");
        }
    }
}
