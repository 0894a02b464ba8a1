package routes.send;

import routes.model.EmailRequest;

/**
 * One recipient's mail after rendering: sender resolved, subject and bodies final (either body may be
 * null for a transactional email that gave only one).
 *
 * @param request the stored transactional request (cc, bcc, attachments), or null for a campaign mail
 */
public record Rendered(Delivery delivery, String from, String subject, String html, String text, EmailRequest request) {}
