package routes.send;

import routes.model.EmailRequest;

/**
 * One recipient's mail after rendering: sender resolved, subject and bodies final (either body may be
 * null for a transactional email that gave only one).
 *
 * @param request          the stored transactional request (cc, bcc, attachments), or null for a campaign mail
 * @param unsubscribeToken the token of the body's {@code $unsubscribeUrl} and the List-Unsubscribe header;
 *                         null for a transactional mail, which is not a list mail
 */
public record Rendered(Delivery delivery, String from, String subject, String html, String text, EmailRequest request,
                       String unsubscribeToken) implements RecipientInWork {}
