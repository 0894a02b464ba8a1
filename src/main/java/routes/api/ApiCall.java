package routes.api;

import org.apache.camel.Exchange;

/**
 * Who called which operation on what, as the api-keyed gate found it: the answer's rate-limit headers and
 * the audit entry of a mutating call are written from it.
 *
 * @param target the operation's path parameters (an address as its pseudonym), or the new email's id
 */
public record ApiCall(String keyId, String operationId, String method, String target, int limit, long remaining) {

    /** Exchange property holding the call; set by {@link ApiKeys}, read by {@link ApiReplies} and {@link ApiAudit}. */
    public static final String PROPERTY = "apiCall";

    /**
     * Whose Idempotency-Keys a request's key is among: the API key's id, or {@code routes} for an integration
     * route (operator-trusted, no API key). Keys are scoped per caller, as payment APIs do, so that one caller's
     * key can neither answer nor block (409) another's request.
     */
    public static String idempotencyScope(Exchange exchange) {
        ApiCall call = exchange.getProperty(PROPERTY, ApiCall.class);
        return call == null ? "routes" : call.keyId();
    }

    boolean mutates() {
        return !"GET".equalsIgnoreCase(method) && !"HEAD".equalsIgnoreCase(method);
    }
}
