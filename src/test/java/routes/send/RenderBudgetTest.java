package routes.send;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The three limits of one recipient's rendering; the send flow's SendTest shows them through a campaign. */
class RenderBudgetTest {

    @Test
    void aRenderPastItsTimeFailsAtTheNextIterationOrWrite() {
        RenderBudget budget = new RenderBudget(new SendProperties.TemplateLimits(10, Duration.ZERO, 100));

        assertThatThrownBy(budget::iterate).isInstanceOf(TemplateFailure.class)
                .hasMessage("rendering took longer than 0 ms")
                .satisfies(e -> assertThat(((TemplateFailure) e).code()).isEqualTo(TemplateFailure.LIMIT));
        assertThatThrownBy(() -> budget.writer(new StringBuilder()).write("x")).isInstanceOf(TemplateFailure.class);
    }

    @Test
    void theFirstBreachIsKeptAndTheLimitsCountAllPartsTogether() throws IOException {
        RenderBudget budget = new RenderBudget(new SendProperties.TemplateLimits(2, Duration.ofMinutes(1), 5));
        StringBuilder subject = new StringBuilder();
        budget.writer(subject).write("abc");
        budget.iterate();
        budget.iterate();

        assertThatThrownBy(() -> budget.writer(new StringBuilder()).write("def"))
                .hasMessage("output longer than 5 characters");
        assertThatThrownBy(budget::iterate).hasMessage("output longer than 5 characters");
        assertThat(budget.breach()).get().extracting(Throwable::getMessage).isEqualTo("output longer than 5 characters");
        assertThat(subject).hasToString("abc");
    }
}
