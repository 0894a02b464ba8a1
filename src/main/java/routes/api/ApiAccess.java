package routes.api;

import java.util.ArrayList;
import java.util.List;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.spring.boot.CamelContextConfiguration;
import org.springframework.stereotype.Component;

/**
 * Refuses to start when who may call an operation is not what the contract says: the route serving an
 * operation must be called after it ({@code direct:<operationId>}, route id {@code <operationId>}, which the
 * api-keyed gate uses to find the scope) and use the route configuration {@value #KEYED}, or {@value #PUBLIC}
 * only where the contract has {@code security: []}. A new route cannot become public by a slip in either file.
 */
@Component
public class ApiAccess implements CamelContextConfiguration {

    static final String KEYED = "api-keyed";
    static final String PUBLIC = "public";

    private final ApiContract contract;

    public ApiAccess(ApiContract contract) {
        this.contract = contract;
    }

    @Override
    public void beforeApplicationStart(CamelContext camelContext) {
        // The routes exist only once the context has started.
    }

    @Override
    public void afterApplicationStart(CamelContext camelContext) {
        if (contract.operationIds().stream().allMatch(id -> camelContext.getRoute(id) == null)) {
            return;   // an application started with a subset of the flows (a send-only process) serves no API
        }
        List<String> wrong = new ArrayList<>();
        for (String operationId : contract.operationIds()) {
            String expected = contract.isPublic(operationId) ? PUBLIC : KEYED;
            Route route = camelContext.getRoute(operationId);
            if (route == null || !route.getEndpoint().getEndpointBaseUri().equals("direct://" + operationId)) {
                wrong.add(operationId + ": no route " + operationId + " from direct:" + operationId);
            } else if (!expected.equals(route.getConfigurationId())) {
                wrong.add(operationId + ": route configuration " + route.getConfigurationId() + ", the contract says " + expected);
            }
        }
        if (!wrong.isEmpty()) {
            throw new IllegalStateException("The API routes differ from " + ApiContract.SPECIFICATION + ": " + wrong);
        }
    }
}
