package routes.send;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import jakarta.mail.util.StreamProvider;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URL;
import java.util.Enumeration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class MailSessionTest {

    /** Jakarta Mail asks the thread's context class loader first; this one counts the ServiceLoader scans. */
    private static final class ScanCounting extends ClassLoader {
        private final AtomicInteger scans = new AtomicInteger();

        ScanCounting(ClassLoader parent) {
            super(parent);
        }

        @Override
        public Enumeration<URL> getResources(String name) throws IOException {
            if (name.equals("META-INF/services/" + StreamProvider.class.getName())) {
                scans.incrementAndGet();
            }
            return super.getResources(name);
        }
    }

    @Test
    void aMailWithPartsIsBuiltAndWrittenWithoutScanningTheClassPathForAStreamProvider() throws Exception {
        Thread thread = Thread.currentThread();
        ClassLoader original = thread.getContextClassLoader();
        ScanCounting counting = new ScanCounting(original);
        thread.setContextClassLoader(counting);
        try {
            MimeMessage mail = new MimeMessage(MailSession.create());
            MimeMultipart alternative = new MimeMultipart("alternative");
            MimeBodyPart text = new MimeBodyPart();
            text.setText("Hello Ann", "UTF-8", "plain");
            alternative.addBodyPart(text);
            mail.setContent(alternative);
            mail.saveChanges();
            ByteArrayOutputStream raw = new ByteArrayOutputStream();
            mail.writeTo(raw);

            assertThat(raw.toString()).contains("Hello Ann");
            assertThat(counting.scans).hasValue(0);
        } finally {
            thread.setContextClassLoader(original);
        }
    }
}
