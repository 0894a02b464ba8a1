package routes.intake;

import java.net.IDN;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * RFC 5322 addr-spec as SES can send it: the local part is a dot-atom or quoted string of ASCII (SES
 * has no SMTPUTF8), the domain a host name of at least two labels; an internationalised domain is
 * converted to punycode. Domain literals ({@code [1.2.3.4]}) are refused: nobody mails campaigns to them.
 */
public final class AddressValidator {

    /** The address as it will be sent, or why it cannot be. */
    public record Verdict(String address, String problem) {
        public boolean valid() {
            return problem == null;
        }
    }

    private static final String ATEXT = "[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+";
    private static final Pattern DOT_ATOM = Pattern.compile(ATEXT + "(\\." + ATEXT + ")*");
    private static final Pattern QUOTED = Pattern.compile("\"([\\x20\\x21\\x23-\\x5B\\x5D-\\x7E]|\\\\[\\x20-\\x7E])*\"");
    private static final Pattern LABEL = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");
    private static final int MAX_LOCAL = 64;
    private static final int MAX_DOMAIN = 253;

    private AddressValidator() {
    }

    public static Verdict check(String raw) {
        if (raw == null || raw.isBlank()) {
            return new Verdict(null, "missing");
        }
        String address = raw.trim();
        int at = address.lastIndexOf('@');
        if (at <= 0 || at == address.length() - 1) {
            return new Verdict(null, "not an address: needs local-part@domain");
        }
        String local = address.substring(0, at);
        String domain = address.substring(at + 1);
        if (!local.chars().allMatch(c -> c < 128)) {
            return new Verdict(null, "non-ASCII local part; SES cannot send to it (no SMTPUTF8)");
        }
        if (local.length() > MAX_LOCAL) {
            return new Verdict(null, "local part longer than 64 characters");
        }
        if (!DOT_ATOM.matcher(local).matches() && !QUOTED.matcher(local).matches()) {
            return new Verdict(null, "local part is not RFC 5322 (dot-atom or quoted string)");
        }
        String ascii;
        try {
            ascii = IDN.toASCII(domain, IDN.USE_STD3_ASCII_RULES).toLowerCase(Locale.ROOT);
        } catch (IllegalArgumentException e) {
            return new Verdict(null, "domain is not a valid (internationalised) host name");
        }
        String[] labels = ascii.split("\\.", -1);
        if (ascii.length() > MAX_DOMAIN || labels.length < 2) {
            return new Verdict(null, "domain must be a host name with at least two labels");
        }
        for (String label : labels) {
            if (!LABEL.matcher(label).matches()) {
                return new Verdict(null, "domain label '" + label + "' is not a valid host name label");
            }
        }
        return new Verdict(local + "@" + ascii, null);
    }
}
