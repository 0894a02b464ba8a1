package routes.api;

/**
 * Who called which operation on what, as the api-keyed gate found it: the answer's rate-limit headers and
 * the audit entry of a mutating call are written from it.
 *
 * @param target the operation's path parameters (an address as its pseudonym), or the new email's id
 */
public record ApiCall(String keyId, String operationId, String method, String target, int limit, long remaining) {

    /** Exchange property holding the call; set by {@link ApiKeys}, read by {@link ApiReplies} and {@link ApiAudit}. */
    public static final String PROPERTY = "apiCall";

    boolean mutates() {
        return !"GET".equalsIgnoreCase(method) && !"HEAD".equalsIgnoreCase(method);
    }
}
