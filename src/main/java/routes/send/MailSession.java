package routes.send;

import jakarta.mail.Session;
import jakarta.mail.util.StreamProvider;
import java.util.Properties;
import org.eclipse.angus.mail.util.MailStreamProvider;

/**
 * The Jakarta Mail session the send flow builds its mails in. Jakarta Mail looks its {@link StreamProvider} up
 * for every message, body part and multipart it creates, and unless a system property names the class that
 * lookup is a ServiceLoader scan of the class path each time (jakartaee/mail-api issues 699 and 861): a third
 * of the send flow's CPU in the profile of docs/send.md. Naming Angus Mail's provider, the one on the class
 * path, turns it into a lookup by class name. A value set with {@code -Djakarta.mail.util.StreamProvider} wins.
 */
final class MailSession {

    private MailSession() {
    }

    static Session create() {
        System.getProperties().putIfAbsent(StreamProvider.class.getName(), MailStreamProvider.class.getName());
        return Session.getInstance(new Properties());
    }
}
