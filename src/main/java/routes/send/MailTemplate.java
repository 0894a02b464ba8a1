package routes.send;

import java.util.List;
import org.apache.velocity.Template;

/** A parsed template directory {@code templates/<name>/}: three Velocity templates and template.json. */
public record MailTemplate(String name, Template subject, Template html, Template text, Info info) {

    /** template.json. */
    public record Info(String description, List<String> requiredVariables, String sender) {

        public List<String> requiredVariables() {
            return requiredVariables == null ? List.of() : requiredVariables;
        }
    }
}
