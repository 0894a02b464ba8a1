package routes.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.apache.camel.Exchange;
import org.apache.camel.Header;
import org.springframework.stereotype.Component;
import routes.aws.AwsProperties;
import routes.model.EmailRequest;
import routes.model.MessageStatus;
import routes.model.SendChunk;
import routes.store.Ledger;
import routes.store.MessageQueries;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * {@code POST /api/v1/emails}: validates a transactional email, stores the full request (attachments
 * included) in S3 under {@code transactional/<emailId>.json}, writes the QUEUED ledger row and returns
 * the {@link SendChunk} for the transactional queue. The same {@code Idempotency-Key} with the same
 * body gives the same emailId and no second send; with another body it is a 409.
 */
@Component
public class TransactionalEmails {

    public static final String EMAIL_ID = "emailId";
    private static final int MAX_RECIPIENTS = 50;

    private final Ledger ledger;
    private final MessageQueries messages;
    private final S3Client s3;
    private final AwsProperties aws;
    private final ApiProperties api;
    private final ObjectReader reader;

    public TransactionalEmails(Ledger ledger, MessageQueries messages, S3Client s3, AwsProperties aws, ApiProperties api, ObjectMapper json) {
        this.ledger = ledger;
        this.messages = messages;
        this.s3 = s3;
        this.aws = aws;
        this.api = api;
        this.reader = json.readerFor(EmailRequest.class).with(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    }

    /** Returns the chunk to enqueue, or null when an idempotent repeat finds the email already on its way. */
    public SendChunk accept(String body, @Header("Idempotency-Key") String idempotencyKey, Exchange exchange) {
        EmailRequest request = parse(body);
        validate(request);
        if (idempotencyKey != null && (idempotencyKey.isBlank() || idempotencyKey.length() > 255)) {
            throw ApiProblem.invalid("Idempotency-Key", "length 1..255", "Idempotency-Key must have 1 to 255 characters");
        }
        String emailId = idempotencyKey == null ? UUID.randomUUID().toString()
                : UUID.nameUUIDFromBytes(("transactional\n" + ApiCall.idempotencyScope(exchange) + "\n" + idempotencyKey)
                        .getBytes(StandardCharsets.UTF_8)).toString();
        exchange.setProperty(EMAIL_ID, emailId);
        String requestHash = HexFormat.of().formatHex(ApiKeys.sha256(body));
        Optional<MessageQueries.Details> existing = messages.details(emailId);
        if (existing.isPresent()) {
            return repeat(existing.get(), emailId, requestHash, request);
        }
        String contentKey = EmailRequest.contentKey(emailId);
        s3.putObject(b -> b.bucket(aws.bucket()).key(contentKey).contentType("application/json"), RequestBody.fromString(body));
        Map<String, AttributeValue> extra = new HashMap<>();
        extra.put("kind", AttributeValue.fromS("transactional"));
        extra.put("requestHash", AttributeValue.fromS(requestHash));
        extra.put("contentKey", AttributeValue.fromS(contentKey));
        if (request.subject() != null) {
            extra.put("subject", AttributeValue.fromS(request.subject()));
        }
        if (request.metadata() != null && !request.metadata().isEmpty()) {
            Map<String, AttributeValue> metadata = new HashMap<>();
            request.metadata().forEach((k, v) -> metadata.put(k, AttributeValue.fromS(String.valueOf(v))));
            extra.put("metadata", AttributeValue.fromM(metadata));
        }
        if (!ledger.queue(emailId, request.to().get(0).trim().toLowerCase(), extra)) {
            return messages.details(emailId).map(d -> repeat(d, emailId, requestHash, request)).orElse(null);
        }
        return chunk(emailId, request, contentKey);
    }

    public ApiReply accepted(Exchange exchange) {
        return ApiReply.json(202, Map.of("success", true, "emailId", exchange.getProperty(EMAIL_ID, String.class),
                "status", MessageStatus.QUEUED.name()));
    }

    /** Same key: same body → nothing new (re-enqueue while still QUEUED, the send flow's claim dedups); other body → 409. */
    private SendChunk repeat(MessageQueries.Details existing, String emailId, String requestHash, EmailRequest request) {
        if (!requestHash.equals(existing.requestHash())) {
            throw ApiProblem.conflict("Idempotency-Key was already used with a different request");
        }
        return existing.entry().status() == MessageStatus.QUEUED
                ? chunk(emailId, request, EmailRequest.contentKey(emailId)) : null;
    }

    private static SendChunk chunk(String emailId, EmailRequest request, String contentKey) {
        Map<String, Object> variables = new HashMap<>(request.data() == null ? Map.of() : request.data());
        variables.put(EmailRequest.CONTENT_KEY_VARIABLE, contentKey);
        Map<String, String> tags = new HashMap<>(request.tags() == null ? Map.of() : request.tags());
        tags.put(EMAIL_ID, emailId);
        SendChunk.Recipient recipient = new SendChunk.Recipient(emailId, request.to().get(0).trim(), request.template(),
                request.from(), request.subject(), null, variables);
        return new SendChunk(null, 0, request.from(), request.replyTo(), null, tags, List.of(recipient));
    }

    private EmailRequest parse(String body) {
        if (body == null || body.isBlank()) {
            throw ApiProblem.invalid("body", "required", "Request body is required");
        }
        try {
            return reader.readValue(body);
        } catch (UnrecognizedPropertyException unknown) {
            throw ApiProblem.invalid(unknown.getPropertyName(), "unknown", "Unknown field: " + unknown.getPropertyName());
        } catch (JsonProcessingException bad) {
            String field = bad instanceof com.fasterxml.jackson.databind.JsonMappingException mapping && !mapping.getPath().isEmpty()
                    ? mapping.getPath().get(0).getFieldName() : "body";
            throw ApiProblem.invalid(field, "type", "Malformed JSON at " + field + ": " + bad.getOriginalMessage());
        }
    }

    private void validate(EmailRequest request) {
        if (request.to() == null || request.to().isEmpty()) {
            throw ApiProblem.invalid("to", "required", "Missing required field: to");
        }
        List<String> all = new ArrayList<>();
        addresses("to", request.to(), all);
        addresses("cc", request.cc(), all);
        addresses("bcc", request.bcc(), all);
        if (all.size() > MAX_RECIPIENTS) {
            throw ApiProblem.invalid("to", "max " + MAX_RECIPIENTS + " recipients", "At most " + MAX_RECIPIENTS + " recipients in to, cc and bcc");
        }
        boolean hasBody = notBlank(request.bodyText()) || notBlank(request.bodyHtml());
        if (request.template() == null) {
            if (!notBlank(request.subject())) {
                throw ApiProblem.invalid("subject", "required", "Missing required field: subject");
            }
            if (!hasBody) {
                throw ApiProblem.invalid("bodyText", "required", "One of bodyText, bodyHtml or template is required");
            }
        } else if (hasBody) {
            throw ApiProblem.invalid("template", "exclusive", "Give either template or bodyText/bodyHtml, not both");
        } else if (!request.template().matches("[A-Za-z0-9_-]+")) {
            throw ApiProblem.invalid("template", "name", "template must be a template name (letters, digits, '-', '_')");
        }
        if (request.from() != null && !ApiInput.isMailbox(request.from())) {
            throw ApiProblem.invalid("from", "email", "from is not a valid sender");
        }
        if (request.replyTo() != null && !ApiInput.isMailbox(request.replyTo())) {
            throw ApiProblem.invalid("replyTo", "email", "replyTo is not a valid address");
        }
        long size = 0;
        List<EmailRequest.Attachment> attachments = request.attachments() == null ? List.of() : request.attachments();
        for (int i = 0; i < attachments.size(); i++) {
            EmailRequest.Attachment attachment = attachments.get(i);
            if (attachment == null || !notBlank(attachment.filename()) || attachment.content() == null) {
                throw ApiProblem.invalid("attachments", "filename and content required", "Every attachment needs filename and content");
            }
            String index = "attachments[" + i + "].";
            attachment.headerProblem().ifPresent(problem -> {
                throw ApiProblem.invalid(index + problem.field(), problem.rule(), index + problem.field() + " must be " + problem.rule());
            });
            try {
                size += Base64.getDecoder().decode(attachment.content().replaceAll("\\s", "")).length;
            } catch (IllegalArgumentException e) {
                throw ApiProblem.invalid(index + "content", "base64", index + "content is not base64");
            }
        }
        if (size > api.maxAttachmentBytes()) {
            throw ApiProblem.invalid("attachments", "max " + api.maxAttachmentBytes() + " bytes",
                    "Attachments exceed " + api.maxAttachmentBytes() + " bytes in total");
        }
    }

    private static void addresses(String field, List<String> values, List<String> all) {
        if (values == null) {
            return;
        }
        for (String value : values) {
            all.add(ApiInput.address(field, value));
        }
    }

    private static boolean notBlank(String value) {
        return value != null && !value.isBlank();
    }
}
