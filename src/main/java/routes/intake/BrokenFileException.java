package routes.intake;

/** The file's structure is unusable: the whole file is rejected with this one problem. */
public class BrokenFileException extends RuntimeException {

    private final transient Problem problem;

    public BrokenFileException(long line, String field, String reason) {
        super(reason);
        this.problem = new Problem(line, field, reason);
    }

    public Problem problem() {
        return problem;
    }
}
