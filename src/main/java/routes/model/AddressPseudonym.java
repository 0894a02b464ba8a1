package routes.model;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** GDPR erasure of one address in free text: the address, in any case, replaced by its pseudonym. */
public final class AddressPseudonym {

    private final Pattern address;
    private final String pseudonym;

    public AddressPseudonym(String address, String pseudonym) {
        this.address = Pattern.compile(Pattern.quote(address), Pattern.CASE_INSENSITIVE);
        this.pseudonym = pseudonym;
    }

    /** The text with the pseudonym in the address's place; empty when the text does not name the address. */
    public Optional<String> erase(String text) {
        Matcher matcher = address.matcher(text);
        return matcher.find() ? Optional.of(matcher.replaceAll(Matcher.quoteReplacement(pseudonym))) : Optional.empty();
    }
}
