package routes.api;

/** What an API route answers: status and a body to write as JSON (or HTML for the unsubscribe pages). */
public record ApiReply(int status, Object body, String contentType) {

    public static ApiReply json(int status, Object body) {
        return new ApiReply(status, body, "application/json");
    }

    public static ApiReply html(int status, String page) {
        return new ApiReply(status, page, "text/html; charset=utf-8");
    }
}
