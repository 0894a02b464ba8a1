package routes.send;

/** One recipient's mail after Velocity: sender resolved, subject and both bodies rendered. */
public record Rendered(Delivery delivery, String from, String subject, String html, String text) {}
