package routes.intake;

import java.time.Instant;

/**
 * An object found in {@code inbox/} and what to do with it now.
 *
 * @param definitionKey the JSON, JSONL or manifest key
 * @param recipientsKey where the rows are: the same key, or the CSV of a manifest
 * @param rejection     why the file is refused without reading it (action REJECT)
 */
public record IntakeFile(String key, String etag, long size, Instant lastModified, FileFormat format,
                         Action action, String definitionKey, String recipientsKey, Problem rejection) {

    public enum Action {
        /** validate and file it */
        TAKE,
        /** leave it in the inbox for now: its partner file may still arrive */
        WAIT,
        /** not a campaign of its own: the partner file's intake takes it */
        SKIP,
        /** refuse it unread, with {@code rejection} */
        REJECT
    }

    /** The file name after {@code inbox/}, used for report and archive names. */
    public String name() {
        return key.substring(key.indexOf('/') + 1);
    }

    public boolean paired() {
        return !recipientsKey.equals(definitionKey);
    }
}
