package routes.send;

/**
 * What the send flow's body is at any step after the split: the recipient's {@link Delivery}, then its
 * rendered mail, its composed mail, SES's receipt. An error handler meets the body as it was when the
 * step failed, so it reads the recipient through this.
 */
public interface RecipientInWork {

    Delivery delivery();
}
