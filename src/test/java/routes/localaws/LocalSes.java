package routes.localaws;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import routes.localaws.SesConfigurationSet.EventDestination;
import routes.localaws.SesMime.Content;
import routes.localaws.SesMime.Destination;

/**
 * Amazon SES (API v1, 2010-12-01) on a loopback port, speaking the AWS Query protocol to the AWS SDK and
 * camel-aws2-ses. Every accepted message is written to {@code <outbox>/<messageId>.eml}: the caller's bytes
 * for SendRawEmail, the message SES would compose for the other calls.
 *
 * <p>Actions: SendEmail, SendRawEmail, SendTemplatedEmail, SendBulkTemplatedEmail, GetSendQuota,
 * GetSendStatistics, Create/Update/Get/Delete/ListTemplates, Create/Describe/Delete/ListConfigurationSets,
 * CreateConfigurationSetEventDestination, VerifyEmailIdentity and ListIdentities.
 *
 * <p>SendRawEmail takes the recipients from {@code Destinations} or else the To, Cc and Bcc headers, the source
 * from {@code Source} or else From, the configuration set from {@code ConfigurationSetName} or else the
 * {@code X-SES-CONFIGURATION-SET} header, and tags from {@code X-SES-MESSAGE-TAGS} plus {@code Tags}.
 *
 * <p>Sending limits, counted in recipients as SES counts them (see {@link SesSendLimits}): over the rate the
 * call answers {@code Throttling} "Maximum sending rate exceeded.", over the 24-hour quota {@code Throttling}
 * "Daily message quota exceeded.". While sending is paused every send answers
 * {@code AccountSendingPausedException}. SendBulkTemplatedEmail reports these per destination
 * (AccountThrottled, AccountDailyQuotaExceeded, TemplateDoesNotExist, MessageRejected) and fails as a whole only
 * for a paused account or an unknown configuration set. Note that the AWS SDK retries Throttling by default.
 *
 * <p>Mailbox simulator: see {@link MailboxOutcome}. A recipient {@code reject…@simulator.amazonses.com} makes
 * the whole send answer {@code MessageRejected} after a Reject event (real SES separates the two: a rejected call
 * has no events, and a Reject event follows an accepted call). Template data without a variable the template
 * uses gives a MessageId, a Send and a Rendering Failure event, and no mail, as SES does.
 *
 * <p>Events are published only for a request that names a configuration set, to each of its enabled SNS
 * destinations that matches the type. As in SES, a destination is disabled unless created with Enabled=true.
 */
public final class LocalSes implements AutoCloseable {

    private static final String NAMESPACE = "http://ses.amazonaws.com/doc/2010-12-01/";
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    private static final Set<String> EVENT_TYPES = Set.of("send", "reject", "bounce", "complaint", "delivery",
            "open", "click", "renderingFailure", "deliveryDelay", "subscription");
    private static final int MAX_RECIPIENTS = 50;
    private static final int MAX_BULK_DESTINATIONS = 50;

    private final LocalSns sns;
    private final Path outbox;
    private final SesEvents events;
    private final SesSendLimits limits = new SesSendLimits();
    private final Map<String, SesTemplate> templates = new ConcurrentHashMap<>();
    private final Map<String, SesConfigurationSet> configurationSets = new ConcurrentHashMap<>();
    private final Set<String> identities = ConcurrentHashMap.newKeySet();
    private final Statistics statistics = new Statistics();
    private final AwsQueryServer server;
    private volatile Duration latency = Duration.ZERO;
    private volatile boolean sendingPaused;

    public LocalSes(LocalSns sns, Path outbox, String region, String accountId) {
        this.sns = sns;
        this.outbox = outbox;
        this.events = new SesEvents(sns, region, accountId);
        try {
            Files.createDirectories(outbox);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create the SES outbox " + outbox, e);
        }
        Map<String, AwsQueryServer.Action> actions = new HashMap<>();
        actions.put("SendEmail", this::sendEmail);
        actions.put("SendRawEmail", this::sendRawEmail);
        actions.put("SendTemplatedEmail", this::sendTemplatedEmail);
        actions.put("SendBulkTemplatedEmail", this::sendBulkTemplatedEmail);
        actions.put("GetSendQuota", this::getSendQuota);
        actions.put("GetSendStatistics", this::getSendStatistics);
        actions.put("CreateTemplate", this::createTemplate);
        actions.put("UpdateTemplate", this::updateTemplate);
        actions.put("GetTemplate", this::getTemplate);
        actions.put("DeleteTemplate", this::deleteTemplate);
        actions.put("ListTemplates", this::listTemplates);
        actions.put("CreateConfigurationSet", this::createConfigurationSet);
        actions.put("DescribeConfigurationSet", this::describeConfigurationSet);
        actions.put("DeleteConfigurationSet", this::deleteConfigurationSet);
        actions.put("ListConfigurationSets", this::listConfigurationSets);
        actions.put("CreateConfigurationSetEventDestination", this::createEventDestination);
        actions.put("VerifyEmailIdentity", this::verifyEmailIdentity);
        actions.put("ListIdentities", this::listIdentities);
        server = new AwsQueryServer("local-ses", NAMESPACE, actions);
    }

    public void start() {
        server.start();
    }

    public URI endpoint() {
        return server.endpoint();
    }

    @Override
    public void close() {
        server.close();
    }

    /** Recipients per second; zero or negative is unlimited (the default). */
    public void setMaxSendRate(double perSecond) {
        limits.maxSendRate(perSecond);
    }

    /** Recipients per rolling 24 hours (default 50,000); negative is unlimited, zero stops all sending. */
    public void setMax24HourSend(long recipients) {
        limits.max24HourSend(recipients);
    }

    /** Added to every send call before it is processed; zero by default. */
    public void setLatency(Duration latency) {
        this.latency = latency;
    }

    public void pauseAccountSending(boolean paused) {
        this.sendingPaused = paused;
    }

    /** Restores the default limits, latency and sending state and clears all counters; keeps stored resources. */
    public void reset() {
        limits.reset();
        latency = Duration.ZERO;
        sendingPaused = false;
        statistics.reset();
    }

    /** The {@code .eml} files in the outbox, ordered by name, which starts with the send time. */
    public List<Path> outboxFiles() {
        try (Stream<Path> files = Files.list(outbox)) {
            return files.filter(file -> file.getFileName().toString().endsWith(".eml")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Messages accepted and written to the outbox since start or {@link #reset()}. */
    public long sentCount() {
        return statistics.sent.get();
    }

    private Consumer<AwsXml> sendEmail(QueryParams params) {
        simulateLatency();
        Content content = new Content(params.get("Message.Subject.Data"), params.get("Message.Body.Text.Data"),
                params.get("Message.Body.Html.Data"));
        SesMail mail = compose("SendEmail", params, Destination.of(params.nested("Destination")),
                tags(params, "Tags.member"), content);
        return messageId(send(mail));
    }

    private Consumer<AwsXml> sendRawEmail(QueryParams params) {
        simulateLatency();
        byte[] raw = base64(params.require("RawMessage.Data"));
        MimeMessage content = SesMime.parse(raw);
        List<String> destinations = params.members("Destinations");
        List<String> recipients = destinations.isEmpty()
                ? SesMime.recipients(content) : SesMime.addresses(destinations);
        String source = Optional.ofNullable(params.get("Source")).orElseGet(() -> SesMime.from(content));
        String configurationSet = params.get("ConfigurationSetName",
                SesMime.header(content, "X-SES-CONFIGURATION-SET"));
        Map<String, String> tags = headerTags(SesMime.header(content, "X-SES-MESSAGE-TAGS"));
        tags.putAll(tags(params, "Tags.member"));
        Instant now = Instant.now();
        SesMail mail = new SesMail(SesMail.newId(now), now, "SendRawEmail", source, recipients, content, raw,
                configurationSet, tags);
        return messageId(send(mail));
    }

    private Consumer<AwsXml> sendTemplatedEmail(QueryParams params) {
        simulateLatency();
        SesTemplate template = template(params.require("Template"));
        JsonNode data = templateData(params.require("TemplateData"));
        String messageId = sendTemplated("SendTemplatedEmail", params, Destination.of(params.nested("Destination")),
                tags(params, "Tags.member"), template, data);
        return messageId(messageId);
    }

    private Consumer<AwsXml> sendBulkTemplatedEmail(QueryParams params) {
        simulateLatency();
        if (sendingPaused) {
            throw SesRefusal.accountPaused();
        }
        configurationSet(params.get("ConfigurationSetName"));
        List<QueryParams> destinations = params.indexed("Destinations.member");
        if (destinations.isEmpty()) {
            throw AwsQueryException.missingParameter("Destinations");
        }
        if (destinations.size() > MAX_BULK_DESTINATIONS) {
            throw invalidValue("Too many destinations: at most " + MAX_BULK_DESTINATIONS + " per call.");
        }
        List<BulkStatus> statuses = destinations.stream().map(destination -> sendBulk(params, destination)).toList();
        return xml -> xml.members("Status", statuses, (member, status) -> member
                .element("Status", status.status())
                .element("Error", status.error())
                .element("MessageId", status.messageId()));
    }

    /** One destination of a bulk call; its refusal becomes its status and the call goes on. */
    private BulkStatus sendBulk(QueryParams request, QueryParams destination) {
        try {
            String templateName = request.require("Template");
            SesTemplate template = Optional.ofNullable(templates.get(templateName))
                    .orElseThrow(() -> SesRefusal.noTemplate(templateName));
            ObjectNode data = templateData(request.get("DefaultTemplateData", "{}")).deepCopy();
            data.setAll(templateData(destination.get("ReplacementTemplateData", "{}")));
            Map<String, String> tags = tags(request, "DefaultTags.member");
            tags.putAll(tags(destination, "ReplacementTags.member"));
            String messageId = sendTemplated("SendBulkTemplatedEmail", request,
                    Destination.of(destination.nested("Destination")), tags, template, data);
            return new BulkStatus("Success", null, messageId);
        } catch (SesRefusal refusal) {
            return new BulkStatus(refusal.bulkStatus(), refusal.getMessage(), null);
        } catch (AwsQueryException invalid) {
            return new BulkStatus("InvalidParameterValue", invalid.getMessage(), null);
        }
    }

    private String sendTemplated(String operation, QueryParams request, Destination destination,
                                 Map<String, String> tags, SesTemplate template, JsonNode data) {
        try {
            return send(compose(operation, request, destination, tags, template.render(data)));
        } catch (SesTemplate.RenderingFailure failure) {
            SesMail headersOnly = compose(operation, request, destination, tags, new Content(null, null, null));
            return sendUnrendered(headersOnly, template.name(), failure.getMessage());
        }
    }

    /** Source, ReplyToAddresses and ConfigurationSetName sit at the top of every non-raw send request. */
    private SesMail compose(String operation, QueryParams request, Destination destination,
                            Map<String, String> tags, Content content) {
        String source = request.require("Source");
        Instant now = Instant.now();
        String messageId = SesMail.newId(now);
        MimeMessage message = SesMime.compose(messageId, now, source, request.members("ReplyToAddresses"),
                destination, content);
        return new SesMail(messageId, now, operation, source, SesMime.addresses(destination.all()), message, null,
                request.get("ConfigurationSetName"), tags);
    }

    private String send(SesMail mail) {
        SesConfigurationSet configurationSet = admit(mail);
        writeToOutbox(mail);
        statistics.sent.incrementAndGet();
        Map<MailboxOutcome, List<String>> outcomes = MailboxOutcome.group(mail.destination());
        statistics.count(outcomes);
        events.publish(configurationSet, mail, SesEvents.afterAcceptance(mail, outcomes));
        return mail.messageId();
    }

    private String sendUnrendered(SesMail mail, String templateName, String error) {
        SesConfigurationSet configurationSet = admit(mail);
        events.publish(configurationSet, mail, List.of(SesEvents.send(), SesEvents.renderingFailure(templateName, error)));
        return mail.messageId();
    }

    /** Everything that may refuse a message, in SES's order; on success the recipients count against the limits. */
    private SesConfigurationSet admit(SesMail mail) {
        if (mail.destination().isEmpty()) {
            throw invalidValue("The message has no recipients.");
        }
        if (mail.destination().size() > MAX_RECIPIENTS) {
            throw invalidValue("Recipient count exceeds " + MAX_RECIPIENTS + ".");
        }
        if (sendingPaused) {
            throw SesRefusal.accountPaused();
        }
        SesConfigurationSet configurationSet = configurationSet(mail.configurationSet());
        Optional<String> rejected = mail.destination().stream()
                .filter(address -> MailboxOutcome.of(address) == MailboxOutcome.REJECTED)
                .findFirst();
        if (rejected.isPresent()) {
            statistics.rejects.incrementAndGet();
            events.publish(configurationSet, mail, List.of(SesEvents.reject()));
            throw SesRefusal.rejected(rejected.get());
        }
        switch (limits.tryAcquire(mail.destination().size())) {
            case RATE_EXCEEDED -> throw SesRefusal.rateExceeded();
            case QUOTA_EXCEEDED -> throw SesRefusal.quotaExceeded();
            case ACCEPTED -> { }
        }
        return configurationSet;
    }

    private void writeToOutbox(SesMail mail) {
        try {
            Files.write(outbox.resolve(mail.messageId() + ".eml"), mail.eml());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write to the SES outbox " + outbox, e);
        }
    }

    private Consumer<AwsXml> getSendQuota(QueryParams params) {
        // SES reports an unlimited quota as -1; this fake does the same for an unlimited rate.
        double maxSendRate = limits.maxSendRate() > 0 ? limits.maxSendRate() : -1;
        double max24HourSend = Math.max(-1, limits.max24HourSend());
        double sentLast24Hours = limits.sentLast24Hours();
        return xml -> xml
                .element("Max24HourSend", max24HourSend)
                .element("MaxSendRate", maxSendRate)
                .element("SentLast24Hours", sentLast24Hours);
    }

    private Consumer<AwsXml> getSendStatistics(QueryParams params) {
        String now = AwsJson.timestamp(Instant.now());
        return xml -> xml.element("SendDataPoints", points -> points.element("member", point -> point
                .element("Timestamp", now)
                .element("DeliveryAttempts", statistics.deliveryAttempts.get())
                .element("Bounces", statistics.bounces.get())
                .element("Complaints", statistics.complaints.get())
                .element("Rejects", statistics.rejects.get())));
    }

    private Consumer<AwsXml> createTemplate(QueryParams params) {
        SesTemplate template = templateFrom(params.nested("Template"), Instant.now());
        if (templates.putIfAbsent(template.name(), template) != null) {
            throw AwsQueryException.sender("AlreadyExists", "Template " + template.name() + " already exists.");
        }
        return xml -> {};
    }

    private Consumer<AwsXml> updateTemplate(QueryParams params) {
        QueryParams fields = params.nested("Template");
        SesTemplate existing = template(fields.require("TemplateName"));
        templates.put(existing.name(), templateFrom(fields, existing.created()));
        return xml -> {};
    }

    private static SesTemplate templateFrom(QueryParams fields, Instant created) {
        String name = name(fields.require("TemplateName"));
        return new SesTemplate(name, fields.get("SubjectPart"), fields.get("TextPart"), fields.get("HtmlPart"), created);
    }

    private Consumer<AwsXml> getTemplate(QueryParams params) {
        SesTemplate template = template(params.require("TemplateName"));
        return xml -> xml.element("Template", t -> t
                .element("TemplateName", template.name())
                .element("SubjectPart", template.subject())
                .element("TextPart", template.text())
                .element("HtmlPart", template.html()));
    }

    private Consumer<AwsXml> deleteTemplate(QueryParams params) {
        templates.remove(params.require("TemplateName"));
        return xml -> {};
    }

    private Consumer<AwsXml> listTemplates(QueryParams params) {
        List<SesTemplate> sorted = templates.values().stream()
                .sorted((a, b) -> a.name().compareTo(b.name())).toList();
        return xml -> xml.members("TemplatesMetadata", sorted, (member, template) -> member
                .element("Name", template.name())
                .element("CreatedTimestamp", AwsJson.timestamp(template.created())));
    }

    private Consumer<AwsXml> createConfigurationSet(QueryParams params) {
        String name = name(params.require("ConfigurationSet.Name"));
        if (configurationSets.putIfAbsent(name, new SesConfigurationSet(name)) != null) {
            throw AwsQueryException.sender("ConfigurationSetAlreadyExists",
                    "Configuration set <" + name + "> already exists.");
        }
        return xml -> {};
    }

    private Consumer<AwsXml> describeConfigurationSet(QueryParams params) {
        SesConfigurationSet set = configurationSet(params.require("ConfigurationSetName"));
        List<EventDestination> destinations = List.copyOf(set.destinations().values());
        return xml -> xml
                .element("ConfigurationSet", c -> c.element("Name", set.name()))
                .members("EventDestinations", destinations, (member, destination) -> {
                    member.element("Name", destination.name())
                            .element("Enabled", destination.enabled())
                            .members("MatchingEventTypes", destination.matchingEventTypes());
                    if (destination.topicArn() != null) {
                        member.element("SNSDestination", sns -> sns.element("TopicARN", destination.topicArn()));
                    }
                });
    }

    private Consumer<AwsXml> deleteConfigurationSet(QueryParams params) {
        String name = params.require("ConfigurationSetName");
        if (configurationSets.remove(name) == null) {
            throw SesRefusal.noConfigurationSet(name);
        }
        return xml -> {};
    }

    private Consumer<AwsXml> listConfigurationSets(QueryParams params) {
        List<String> names = configurationSets.keySet().stream().sorted().toList();
        return xml -> xml.members("ConfigurationSets", names, (member, name) -> member.element("Name", name));
    }

    private Consumer<AwsXml> createEventDestination(QueryParams params) {
        SesConfigurationSet set = configurationSet(params.require("ConfigurationSetName"));
        QueryParams fields = params.nested("EventDestination");
        String name = name(fields.require("Name"));
        List<String> types = fields.members("MatchingEventTypes");
        types.stream().filter(type -> !EVENT_TYPES.contains(type)).findFirst().ifPresent(type -> {
            throw invalidValue("Unknown event type " + type + ".");
        });
        String topicArn = fields.get("SNSDestination.TopicARN");
        if (topicArn != null && !sns.hasTopic(topicArn)) {
            throw AwsQueryException.sender("InvalidSNSDestination", "SNS topic <" + topicArn + "> does not exist.");
        }
        boolean enabled = Boolean.parseBoolean(fields.get("Enabled", "false"));
        EventDestination destination = new EventDestination(name, enabled, types, topicArn);
        if (set.destinations().putIfAbsent(name, destination) != null) {
            throw AwsQueryException.sender("EventDestinationAlreadyExists",
                    "Event destination " + name + " already exists in configuration set " + set.name() + ".");
        }
        return xml -> {};
    }

    private Consumer<AwsXml> verifyEmailIdentity(QueryParams params) {
        identities.add(params.require("EmailAddress"));
        return xml -> {};
    }

    private Consumer<AwsXml> listIdentities(QueryParams params) {
        List<String> sorted = identities.stream().sorted().toList();
        return xml -> xml.members("Identities", sorted);
    }

    /** The named configuration set, null for none, ConfigurationSetDoesNotExist for an unknown name. */
    private SesConfigurationSet configurationSet(String name) {
        if (name == null) {
            return null;
        }
        SesConfigurationSet set = configurationSets.get(name);
        if (set == null) {
            throw SesRefusal.noConfigurationSet(name);
        }
        return set;
    }

    private SesTemplate template(String name) {
        SesTemplate template = templates.get(name);
        if (template == null) {
            throw SesRefusal.noTemplate(name);
        }
        return template;
    }

    private void simulateLatency() {
        Duration delay = latency;
        if (delay.isZero()) {
            return;
        }
        try {
            Thread.sleep(delay.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AwsQueryException(500, "InternalFailure", "Interrupted while simulating latency");
        }
    }

    private static Consumer<AwsXml> messageId(String messageId) {
        return xml -> xml.element("MessageId", messageId);
    }

    private static Map<String, String> tags(QueryParams params, String prefix) {
        return params.map(prefix, "Name", "Value");
    }

    /** {@code X-SES-MESSAGE-TAGS: name1=value1, name2=value2}. */
    private static Map<String, String> headerTags(String header) {
        Map<String, String> tags = new LinkedHashMap<>();
        if (header != null) {
            for (String pair : header.split(",")) {
                String[] nameValue = pair.trim().split("=", 2);
                if (nameValue.length != 2) {
                    throw invalidValue("Malformed X-SES-MESSAGE-TAGS header: " + header);
                }
                tags.put(nameValue[0].trim(), nameValue[1].trim());
            }
        }
        return tags;
    }

    private static ObjectNode templateData(String json) {
        try {
            if (AwsJson.read(json) instanceof ObjectNode data) {
                return data;
            }
        } catch (JsonProcessingException e) {
            // answered below like any other data that is not a JSON object
        }
        throw AwsQueryException.sender("InvalidRenderingParameter", "Template data is not a JSON object: " + json);
    }

    private static byte[] base64(String data) {
        try {
            return Base64.getMimeDecoder().decode(data);
        } catch (IllegalArgumentException e) {
            throw invalidValue("RawMessage.Data is not base64.");
        }
    }

    private static String name(String name) {
        if (!NAME.matcher(name).matches()) {
            throw invalidValue("Invalid name " + name + ": only ASCII letters, digits, '_' and '-', at most 64.");
        }
        return name;
    }

    private static AwsQueryException invalidValue(String message) {
        return AwsQueryException.sender("InvalidParameterValue", message);
    }

    private record BulkStatus(String status, String error, String messageId) {}

    /** The counters GetSendStatistics reports, plus the accepted messages. */
    private static final class Statistics {
        private final AtomicLong sent = new AtomicLong();
        private final AtomicLong deliveryAttempts = new AtomicLong();
        private final AtomicLong bounces = new AtomicLong();
        private final AtomicLong complaints = new AtomicLong();
        private final AtomicLong rejects = new AtomicLong();

        void count(Map<MailboxOutcome, List<String>> outcomes) {
            outcomes.forEach((outcome, recipients) -> {
                deliveryAttempts.addAndGet(recipients.size());
                switch (outcome) {
                    case BOUNCED, OUT_OF_OFFICE, MAILBOX_FULL, SUPPRESSED -> bounces.addAndGet(recipients.size());
                    case COMPLAINT -> complaints.addAndGet(recipients.size());
                    default -> { }
                }
            });
        }

        void reset() {
            List.of(sent, deliveryAttempts, bounces, complaints, rejects).forEach(counter -> counter.set(0));
        }
    }
}
