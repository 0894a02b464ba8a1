package routes.localaws;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What the SES mailbox simulator does with a recipient. Addresses at {@value #SIMULATOR_DOMAIN} are matched
 * on their local part, case-insensitively and ignoring a {@code +label}; every other address is delivered.
 * {@code delay@}, {@code mailboxfull@} and {@code reject*@} are this fake's additions: real SES has no simulator
 * address for them.
 */
enum MailboxOutcome {
    /** success@ and every address outside the simulator. */
    DELIVERED,
    /** bounce@: a permanent, general bounce. */
    BOUNCED,
    /** ooto@: delivered, then a transient bounce (the out-of-office answer). */
    OUT_OF_OFFICE,
    /** complaint@: delivered, then an abuse complaint. */
    COMPLAINT,
    /** suppressionlist@: a permanent bounce because the address is on the account's suppression list. */
    SUPPRESSED,
    /** mailboxfull@: not delivered; a transient MailboxFull bounce (what a retry after a soft bounce is for). */
    MAILBOX_FULL,
    /** delay@: a DeliveryDelay event and nothing after it. */
    DELAYED,
    /** reject…@: the whole send is refused with MessageRejected. */
    REJECTED;

    static final String SIMULATOR_DOMAIN = "simulator.amazonses.com";

    static MailboxOutcome of(String address) {
        String lower = address.toLowerCase(Locale.ROOT);
        int at = lower.lastIndexOf('@');
        if (at < 0 || !lower.substring(at + 1).equals(SIMULATOR_DOMAIN)) {
            return DELIVERED;
        }
        String local = lower.substring(0, at);
        int plus = local.indexOf('+');
        String mailbox = plus < 0 ? local : local.substring(0, plus);
        if (mailbox.startsWith("reject")) {
            return REJECTED;
        }
        return switch (mailbox) {
            case "bounce" -> BOUNCED;
            case "ooto" -> OUT_OF_OFFICE;
            case "complaint" -> COMPLAINT;
            case "suppressionlist" -> SUPPRESSED;
            case "delay" -> DELAYED;
            case "mailboxfull" -> MAILBOX_FULL;
            default -> DELIVERED;
        };
    }

    static Map<MailboxOutcome, List<String>> group(List<String> recipients) {
        Map<MailboxOutcome, List<String>> groups = new EnumMap<>(MailboxOutcome.class);
        for (String recipient : recipients) {
            groups.computeIfAbsent(of(recipient), outcome -> new ArrayList<>()).add(recipient);
        }
        return groups;
    }

    /** Whether the simulator's mail server accepts the message before anything else happens. */
    boolean delivered() {
        return this == DELIVERED || this == OUT_OF_OFFICE || this == COMPLAINT;
    }
}
