package routes.crash;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * The embedded SES's outbox: one {@code <sesMessageId>.eml} per accepted mail. The SES message id starts with
 * the acceptance time in hex milliseconds (after a fixed {@code 01}), so the file name alone dates a mail.
 */
final class Outbox {

    /** One accepted mail: the campaign (X-Campaign-Id), the recipient (To) and when SES accepted it. */
    record Mail(String campaignId, String recipient, long acceptedAtMillis) {}

    private final Path dir;

    Outbox(Path dir) {
        this.dir = dir;
    }

    Path dir() {
        return dir;
    }

    long count() {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(file -> file.getFileName().toString().endsWith(".eml")).count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    List<Mail> mails(String campaignId) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(file -> file.getFileName().toString().endsWith(".eml")).map(Outbox::read)
                    .filter(mail -> campaignId.equals(mail.campaignId())).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Mail read(Path eml) {
        String name = eml.getFileName().toString();
        long accepted = Long.parseLong(name.substring(2, 16), 16);
        String campaign = null;
        String to = null;
        List<String> headers = new ArrayList<>();
        try (BufferedReader in = Files.newBufferedReader(eml, StandardCharsets.ISO_8859_1)) {
            for (String line = in.readLine(); line != null && !line.isEmpty(); line = in.readLine()) {
                headers.add(line);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (String header : headers) {
            String lower = header.toLowerCase(Locale.ROOT);
            if (lower.startsWith("x-campaign-id:")) {
                campaign = header.substring("x-campaign-id:".length()).trim();
            } else if (lower.startsWith("to:")) {
                to = address(header.substring(3).trim());
            }
        }
        return new Mail(campaign, to, accepted);
    }

    private static String address(String to) {
        int open = to.indexOf('<');
        return (open < 0 ? to : to.substring(open + 1, to.indexOf('>', open))).toLowerCase(Locale.ROOT);
    }
}
