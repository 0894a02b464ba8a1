package routes.api;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.builder.RouteConfigurationBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;

/** A route whose access differs from the contract stops the start, naming the operation. */
class ApiAccessTest {

    private final ApiContract contract = new ApiContract();

    @Test
    void aKeyedOperationServedByAPublicRouteStopsTheStart() throws Exception {
        try (CamelContext camel = context("getEmail", "public")) {
            assertThatThrownBy(() -> new ApiAccess(contract).afterApplicationStart(camel))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("getEmail: route configuration public, the contract says api-keyed");
        }
    }

    @Test
    void everyOperationOnItsRouteWithTheContractsAccessStarts() throws Exception {
        try (CamelContext camel = context(null, null)) {
            assertThatCode(() -> new ApiAccess(contract).afterApplicationStart(camel)).doesNotThrowAnyException();
        }
    }

    @Test
    void anApplicationWithoutTheApiFlowStarts() throws Exception {
        try (CamelContext sendOnly = new DefaultCamelContext()) {
            sendOnly.start();
            assertThatCode(() -> new ApiAccess(contract).afterApplicationStart(sendOnly)).doesNotThrowAnyException();
        }
    }

    /** Every operation of the contract on a route as the contract wants it, except {@code wrongOperation}. */
    private CamelContext context(String wrongOperation, String wrongAccess) throws Exception {
        CamelContext camel = new DefaultCamelContext();
        camel.addRoutes(new RouteConfigurationBuilder() {
            @Override
            public void configuration() {
                routeConfiguration(ApiAccess.KEYED);
                routeConfiguration(ApiAccess.PUBLIC);
            }
        });
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                for (String operationId : contract.operationIds()) {
                    String access = operationId.equals(wrongOperation) ? wrongAccess
                            : contract.isPublic(operationId) ? ApiAccess.PUBLIC : ApiAccess.KEYED;
                    from("direct:" + operationId).routeId(operationId).routeConfigurationId(access).log("${routeId}");
                }
            }
        });
        camel.start();
        return camel;
    }
}
