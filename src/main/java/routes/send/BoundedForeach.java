package routes.send;

import java.io.IOException;
import java.io.Writer;
import org.apache.velocity.context.InternalContextAdapter;
import org.apache.velocity.runtime.directive.Foreach;
import org.apache.velocity.runtime.parser.node.Node;

/**
 * Velocity's #foreach, charging each iteration to the recipient's {@link RenderBudget}. It replaces the
 * built-in directive (TemplateStore registers it under the same name) because Velocity's own
 * {@code directive.foreach.max_loops} ends a loop silently: a mail cut short would still be sent.
 */
public class BoundedForeach extends Foreach {

    @Override
    protected void renderBlock(InternalContextAdapter context, Writer writer, Node node) throws IOException {
        ((RenderBudget) context.get(RenderBudget.KEY)).iterate();
        super.renderBlock(context, writer, node);
    }
}
