package routes.send;

/** A recipient's mail SES took, under SES's message id. */
public record Accepted(Delivery delivery, String sesMessageId) implements RecipientInWork {}
