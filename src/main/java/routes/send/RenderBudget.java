package routes.send;

import java.io.Writer;
import java.util.Optional;

/**
 * What one recipient's rendering may still spend ({@link SendProperties.TemplateLimits}): #foreach
 * iterations, wall-clock time and output characters, for subject, HTML and text together. A template
 * cannot be stopped from outside, so the engine asks at every #foreach iteration ({@link BoundedForeach})
 * and every write; the first breach is kept, because Velocity may wrap the exception it travels in.
 */
final class RenderBudget {

    /** Context key of the budget: ':' cannot occur in a Velocity reference, so no template can read or replace it. */
    static final String KEY = "mailroutes:budget";

    private final SendProperties.TemplateLimits limits;
    private final long deadline;
    private int iterations;
    private long written;
    private TemplateFailure breach;

    RenderBudget(SendProperties.TemplateLimits limits) {
        this.limits = limits;
        this.deadline = System.nanoTime() + limits.maxRenderTime().toNanos();
    }

    void iterate() {
        if (++iterations > limits.maxForeachIterations()) {
            exceeded("more than " + limits.maxForeachIterations() + " #foreach iterations");
        }
        checkTime();
    }

    /** A writer into {@code out} that charges every character to this budget. */
    Writer writer(StringBuilder out) {
        return new Writer() {
            @Override
            public void write(char[] chars, int offset, int length) {
                spend(length);
                out.append(chars, offset, length);
            }

            @Override
            public void write(String text, int offset, int length) {
                spend(length);
                out.append(text, offset, offset + length);
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
    }

    /** The limit a render ran into, whatever Velocity made of the exception. */
    Optional<TemplateFailure> breach() {
        return Optional.ofNullable(breach);
    }

    private void spend(int chars) {
        written += chars;
        if (written > limits.maxOutputChars()) {
            exceeded("output longer than " + limits.maxOutputChars() + " characters");
        }
        checkTime();
    }

    private void checkTime() {
        if (System.nanoTime() - deadline > 0) {
            exceeded("rendering took longer than " + limits.maxRenderTime().toMillis() + " ms");
        }
    }

    private void exceeded(String what) {
        if (breach == null) {
            breach = new TemplateFailure(TemplateFailure.LIMIT, what);
        }
        throw breach;
    }
}
