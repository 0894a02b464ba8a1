package routes.intake;

import java.io.IOException;
import java.io.Reader;

/**
 * The lines of a text, each kept only up to a bound: the rest of a longer line is read past to its end
 * without being stored, so the next line can still be read. Line ends as {@link java.io.BufferedReader#readLine}.
 */
final class BoundedLines {

    /** One line: its text, or null with its length when it was longer than the bound. */
    record Line(String text, long length) {
        boolean tooLong() {
            return text == null;
        }
    }

    private final Reader in;
    private final int max;
    private final char[] buffer = new char[64 * 1024];
    private final StringBuilder line = new StringBuilder();
    private int position;
    private int end;
    private boolean skipLineFeed;

    BoundedLines(Reader in, int max) {
        this.in = in;
        this.max = max;
    }

    /** @return the next line, or null at the end of the text */
    Line next() throws IOException {
        line.setLength(0);
        long length = 0;
        while (true) {
            if (position == end && !fill()) {
                return length == 0 ? null : finished(length);
            }
            if (skipLineFeed) {
                skipLineFeed = false;
                if (buffer[position] == '\n') {
                    position++;
                    continue;
                }
            }
            int from = position;
            while (position < end && buffer[position] != '\n' && buffer[position] != '\r') {
                position++;
            }
            int taken = position - from;
            if (length + taken <= max) {
                line.append(buffer, from, taken);
            }
            length += taken;
            if (position < end) {
                skipLineFeed = buffer[position] == '\r';
                position++;
                return finished(length);
            }
        }
    }

    private Line finished(long length) {
        return new Line(length > max ? null : line.toString(), length);
    }

    private boolean fill() throws IOException {
        int read = in.read(buffer, 0, buffer.length);
        position = 0;
        end = Math.max(read, 0);
        return read > 0;
    }
}
