package routes.intake;

/**
 * One thing wrong with a campaign file: where (line 0 = the file or its manifest), which field, why.
 * Field and reason may quote the file (a variable's name, an unknown template), so each is cut to
 * {@value #MAX_TEXT} characters: a report holds up to {@code max-reported-problems} of them in memory.
 */
public record Problem(long line, String field, String reason) {

    static final int MAX_TEXT = 500;

    public Problem {
        field = cut(field);
        reason = cut(reason);
    }

    private static String cut(String text) {
        return text == null || text.length() <= MAX_TEXT ? text
                : text.substring(0, MAX_TEXT) + "… (" + text.length() + " characters)";
    }
}
