package routes.intake;

/** Receives a file's rows one at a time, and the problems found while reading them. */
public interface RowSink {

    void row(Row row);

    void problem(Problem problem);
}
