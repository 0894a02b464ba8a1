package routes.intake;

import java.io.FilterReader;
import java.io.IOException;
import java.io.Reader;

/**
 * Refuses to hand a record parser more than a bound of characters between two records, so a record
 * (a CSV quoted field can hold any number of lines) is never built past the bound. Counted at the
 * parser's reads, so exact within the parser's own read-ahead buffer.
 */
final class RecordBoundedReader extends FilterReader {

    /** The current record has passed the bound; the parser stops inside it. */
    static final class RecordTooLong extends IOException {
        RecordTooLong() {
            super("record too long", null);
        }
    }

    private final long max;
    private long sinceRecord;

    RecordBoundedReader(Reader in, long max) {
        super(in);
        this.max = max;
    }

    /** The parser finished a record; counting starts again. */
    void recordDone() {
        sinceRecord = 0;
    }

    @Override
    public int read() throws IOException {
        int c = super.read();
        count(c == -1 ? 0 : 1);
        return c;
    }

    @Override
    public int read(char[] buffer, int offset, int length) throws IOException {
        int read = super.read(buffer, offset, length);
        count(Math.max(read, 0));
        return read;
    }

    private void count(int read) throws RecordTooLong {
        sinceRecord += read;
        if (sinceRecord > max) {
            throw new RecordTooLong();
        }
    }
}
