package routes.localaws;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SES event publishing: builds the event JSON that SES publishes to an SNS event destination (AWS doc
 * "Contents of event data that Amazon SES publishes to Amazon SNS") and publishes it to every topic of the
 * mail's configuration set whose destination matches the event type. Publishing is synchronous, so the
 * events are in the subscribed queues when the send call answers.
 */
final class SesEvents {

    /**
     * @param eventType    the JSON's {@code eventType}
     * @param matchingType the configuration set's MatchingEventTypes value that selects it
     * @param key          the name of the type-specific object next to {@code mail}
     */
    record Event(String eventType, String matchingType, String key, ObjectNode detail) {}

    private static final Logger LOG = LoggerFactory.getLogger(SesEvents.class);
    private static final String REPORTING_MTA = "a1-2.smtp-out.local.amazonses.com";

    private final LocalSns sns;
    private final String region;
    private final String accountId;

    SesEvents(LocalSns sns, String region, String accountId) {
        this.sns = sns;
        this.region = region;
        this.accountId = accountId;
    }

    /** A failed publish is logged and skipped: SES does not fail a send because an event was lost. */
    void publish(SesConfigurationSet configurationSet, SesMail mail, List<Event> events) {
        if (configurationSet == null) {
            return;
        }
        ObjectNode mailJson = mail(mail);
        for (Event event : events) {
            List<String> topics = configurationSet.topicsFor(event.matchingType());
            if (topics.isEmpty()) {
                continue;
            }
            ObjectNode json = AwsJson.object().put("eventType", event.eventType());
            json.set("mail", mailJson);
            json.set(event.key(), event.detail());
            String message = AwsJson.write(json);
            for (String topic : topics) {
                try {
                    sns.publish(topic, message, Map.of());
                } catch (RuntimeException e) {
                    LOG.warn("{} event of {} not published to {}", event.eventType(), mail.messageId(), topic, e);
                }
            }
        }
    }

    /** What the mailbox simulator reports after SES accepted the mail: Send, then per-recipient outcomes. */
    static List<Event> afterAcceptance(SesMail mail, Map<MailboxOutcome, List<String>> outcomes) {
        List<Event> events = new ArrayList<>();
        events.add(send());
        List<String> delivered = outcomes.entrySet().stream()
                .filter(outcome -> outcome.getKey().delivered())
                .flatMap(outcome -> outcome.getValue().stream())
                .toList();
        if (!delivered.isEmpty()) {
            events.add(delivery(mail, delivered));
        }
        outcomes.forEach((outcome, recipients) -> {
            switch (outcome) {
                case DELAYED -> events.add(deliveryDelay(recipients));
                case BOUNCED -> events.add(bounce("Permanent", "General", recipients,
                        "5.1.1", "smtp; 550 5.1.1 user unknown"));
                case OUT_OF_OFFICE -> events.add(bounce("Transient", "General", recipients,
                        "4.0.0", "smtp; 450 4.0.0 recipient is out of the office"));
                case MAILBOX_FULL -> events.add(bounce("Transient", "MailboxFull", recipients,
                        "4.2.2", "smtp; 452 4.2.2 mailbox full"));
                case SUPPRESSED -> events.add(bounce("Permanent", "OnAccountSuppressionList", recipients, "5.1.1",
                        "Amazon SES did not send the message to this address because it is on the suppression list "
                                + "for your account."));
                case COMPLAINT -> events.add(complaint(recipients));
                default -> { }
            }
        });
        return events;
    }

    static Event send() {
        return new Event("Send", "send", "send", AwsJson.object());
    }

    static Event reject() {
        return new Event("Reject", "reject", "reject", AwsJson.object().put("reason", "Bad content"));
    }

    static Event renderingFailure(String templateName, String errorMessage) {
        ObjectNode failure = AwsJson.object().put("errorMessage", errorMessage).put("templateName", templateName);
        return new Event("Rendering Failure", "renderingFailure", "failure", failure);
    }

    private static Event delivery(SesMail mail, List<String> recipients) {
        Instant now = Instant.now();
        ObjectNode delivery = AwsJson.object()
                .put("timestamp", AwsJson.timestamp(now))
                .put("processingTimeMillis", Duration.between(mail.timestamp(), now).toMillis());
        strings(delivery.putArray("recipients"), recipients);
        delivery.put("smtpResponse", "250 2.6.0 Message received").put("reportingMTA", REPORTING_MTA);
        return new Event("Delivery", "delivery", "delivery", delivery);
    }

    private static Event deliveryDelay(List<String> recipients) {
        Instant now = Instant.now();
        ObjectNode delay = AwsJson.object()
                .put("timestamp", AwsJson.timestamp(now))
                .put("delayType", "TransientCommunicationFailure")
                .put("expirationTime", AwsJson.timestamp(now.plus(Duration.ofHours(24))));
        ArrayNode delayed = delay.putArray("delayedRecipients");
        recipients.forEach(recipient -> delayed.addObject()
                .put("emailAddress", recipient)
                .put("status", "4.4.1")
                .put("diagnosticCode", "smtp; 421 4.4.1 Unable to connect to remote host"));
        delay.put("reportingMTA", REPORTING_MTA);
        return new Event("DeliveryDelay", "deliveryDelay", "deliveryDelay", delay);
    }

    private static Event bounce(String type, String subType, List<String> recipients, String status,
                                String diagnosticCode) {
        ObjectNode bounce = AwsJson.object().put("bounceType", type).put("bounceSubType", subType);
        ArrayNode bounced = bounce.putArray("bouncedRecipients");
        recipients.forEach(recipient -> bounced.addObject()
                .put("emailAddress", recipient)
                .put("action", "failed")
                .put("status", status)
                .put("diagnosticCode", diagnosticCode));
        bounce.put("timestamp", AwsJson.timestamp(Instant.now()))
                .put("feedbackId", SesMail.newId(Instant.now()))
                .put("reportingMTA", "dsn; " + REPORTING_MTA);
        return new Event("Bounce", "bounce", "bounce", bounce);
    }

    private static Event complaint(List<String> recipients) {
        String now = AwsJson.timestamp(Instant.now());
        ObjectNode complaint = AwsJson.object();
        ArrayNode complained = complaint.putArray("complainedRecipients");
        recipients.forEach(recipient -> complained.addObject().put("emailAddress", recipient));
        complaint.put("timestamp", now)
                .put("feedbackId", SesMail.newId(Instant.now()))
                .put("userAgent", "local-mailbox-simulator")
                .put("complaintFeedbackType", "abuse")
                .put("arrivalDate", now);
        return new Event("Complaint", "complaint", "complaint", complaint);
    }

    private ObjectNode mail(SesMail mail) {
        ObjectNode json = AwsJson.object()
                .put("timestamp", AwsJson.timestamp(mail.timestamp()))
                .put("source", mail.source())
                .put("sourceArn", "arn:aws:ses:" + region + ":" + accountId + ":identity/" + mail.fromDomain())
                .put("sendingAccountId", accountId)
                .put("messageId", mail.messageId());
        strings(json.putArray("destination"), mail.destination());
        json.put("headersTruncated", false);
        ArrayNode headers = json.putArray("headers");
        SesMime.headers(mail.content()).forEach(header ->
                headers.addObject().put("name", header.getName()).put("value", header.getValue()));
        json.set("commonHeaders", commonHeaders(mail));
        json.set("tags", tags(mail));
        return json;
    }

    private static ObjectNode commonHeaders(SesMail mail) {
        ObjectNode common = AwsJson.object();
        strings(common.putArray("from"), SesMime.mailboxes(mail.content(), "From"));
        common.put("date", SesMime.header(mail.content(), "Date"));
        strings(common.putArray("to"), SesMime.mailboxes(mail.content(), "To"));
        List<String> cc = SesMime.mailboxes(mail.content(), "Cc");
        if (!cc.isEmpty()) {
            strings(common.putArray("cc"), cc);
        }
        common.put("messageId", mail.messageId()).put("subject", SesMime.subject(mail.content()));
        return common;
    }

    /** SES's own tags first, then the message tags, every value as a one-element list. */
    private static ObjectNode tags(SesMail mail) {
        ObjectNode tags = AwsJson.object();
        tags.putArray("ses:operation").add(mail.operation());
        tags.putArray("ses:configuration-set").add(mail.configurationSet());
        tags.putArray("ses:source-ip").add("127.0.0.1");
        tags.putArray("ses:from-domain").add(mail.fromDomain());
        tags.putArray("ses:caller-identity").add("local");
        mail.tags().forEach((name, value) -> tags.putArray(name).add(value));
        return tags;
    }

    private static void strings(ArrayNode array, Collection<String> values) {
        values.forEach(array::add);
    }
}
