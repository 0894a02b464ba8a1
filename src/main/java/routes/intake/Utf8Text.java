package routes.intake;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/** Campaign files are UTF-8: a byte-order mark is skipped, any malformed byte fails the read. */
final class Utf8Text {

    private static final int BOM_LENGTH = 3;
    private static final int SNIFF_LENGTH = 64 * 1024;

    private Utf8Text() {
    }

    static Reader strictReader(InputStream raw) throws IOException {
        BufferedInputStream in = new BufferedInputStream(raw, 64 * 1024);
        in.mark(BOM_LENGTH);
        byte[] head = in.readNBytes(BOM_LENGTH);
        if (!(head.length == BOM_LENGTH && (head[0] & 0xFF) == 0xEF && (head[1] & 0xFF) == 0xBB
                && (head[2] & 0xFF) == 0xBF)) {
            in.reset();
        }
        return new InputStreamReader(in, StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT));
    }

    static BrokenFileException notUtf8(long line, CharacterCodingException e) {
        return new BrokenFileException(line, "", "not UTF-8 text (" + e.getMessage() + ")");
    }

    /**
     * The first non-blank character without consuming it, or -1 for a blank file: the content sniff.
     * More blank characters than the sniff can give back are a broken file, not a failed read.
     */
    static int firstSignificant(java.io.BufferedReader reader) throws IOException {
        reader.mark(SNIFF_LENGTH);
        int c;
        int read = 0;
        do {
            if (read++ == SNIFF_LENGTH) {
                throw new BrokenFileException(0, "", "more than " + SNIFF_LENGTH + " blank characters before the content");
            }
            c = reader.read();
        } while (c != -1 && Character.isWhitespace(c));
        reader.reset();
        return c;
    }

    /** The first non-blank character (see {@link #firstSignificant}); a blank file is broken. */
    static int firstOfNonEmpty(java.io.BufferedReader reader) throws IOException {
        int first = firstSignificant(reader);
        if (first == -1) {
            throw new BrokenFileException(0, "", "empty file");
        }
        return first;
    }
}
