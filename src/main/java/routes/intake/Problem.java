package routes.intake;

/** One thing wrong with a campaign file: where (line 0 = the file or its manifest), which field, why. */
public record Problem(long line, String field, String reason) {
}
