package routes.localaws;

/**
 * A message SES will not take. A single send answers it as the error {@code code}; SendBulkTemplatedEmail
 * reports it for the one destination as {@code bulkStatus} (the SDK's BulkEmailStatus) and goes on.
 */
final class SesRefusal extends AwsQueryException {

    private final String bulkStatus;

    private SesRefusal(String code, String bulkStatus, String message) {
        super(400, code, message);
        this.bulkStatus = bulkStatus;
    }

    static SesRefusal accountPaused() {
        return new SesRefusal("AccountSendingPausedException", "AccountSendingPaused",
                "Email sending is disabled for your entire Amazon SES account.");
    }

    static SesRefusal rateExceeded() {
        return new SesRefusal("Throttling", "AccountThrottled", "Maximum sending rate exceeded.");
    }

    static SesRefusal quotaExceeded() {
        return new SesRefusal("Throttling", "AccountDailyQuotaExceeded", "Daily message quota exceeded.");
    }

    static SesRefusal rejected(String address) {
        return new SesRefusal("MessageRejected", "MessageRejected",
                "Email rejected by the local mailbox simulator for " + address + ".");
    }

    static SesRefusal noConfigurationSet(String name) {
        return new SesRefusal("ConfigurationSetDoesNotExist", "ConfigurationSetDoesNotExist",
                "Configuration set <" + name + "> does not exist.");
    }

    static SesRefusal noTemplate(String name) {
        return new SesRefusal("TemplateDoesNotExist", "TemplateDoesNotExist", "Template " + name + " does not exist.");
    }

    String bulkStatus() {
        return bulkStatus;
    }
}
