package routes.send;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.stream.IntStream;
import routes.aws.AwsProperties;
import routes.aws.Tables;
import routes.localaws.LocalAws;
import routes.model.CampaignStatus;
import routes.model.MessageIds;
import routes.model.MessageStatus;
import routes.model.SendChunk.Recipient;
import routes.model.SendChunk;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;

/** Campaign rows, send-queue chunks and the outbox as the send tests (and the benchmark) need them. */
public final class SendFixture {

    /** What a mail SES took can become: the statuses a test waits for after a send. */
    public static final Set<MessageStatus> SENT_OR_LATER = EnumSet.of(MessageStatus.SENT, MessageStatus.DELIVERED,
            MessageStatus.OPENED, MessageStatus.CLICKED);

    private static final Session SESSION = Session.getInstance(new Properties());

    private final DynamoDbClient dynamo;
    private final SqsClient sqs;
    private final AwsProperties aws;
    private final ObjectMapper json;
    private final Map<Path, MimeMessage> parsed = new HashMap<>();
    /** Mails older than the fixture belong to other tests: the shared outbox grows to thousands in a suite run. */
    private final FileTime since = FileTime.fromMillis(System.currentTimeMillis() - 1000);

    public SendFixture(DynamoDbClient dynamo, SqsClient sqs, AwsProperties aws, ObjectMapper json) {
        this.dynamo = dynamo;
        this.sqs = sqs;
        this.aws = aws;
        this.json = json;
    }

    /** A campaign row as launch leaves it: the status and the number of chunks it enqueued. */
    public String campaign(CampaignStatus status, int chunkCount) {
        String campaignId = "send-" + UUID.randomUUID();
        dynamo.putItem(b -> b.tableName(aws.table(Tables.CAMPAIGNS)).item(Map.of(
                "campaignId", AttributeValue.fromS(campaignId),
                "status", AttributeValue.fromS(status.name()),
                "sendAt", AttributeValue.fromS(Instant.now().toString()),
                "chunkCount", AttributeValue.fromN(Integer.toString(chunkCount)))));
        return campaignId;
    }

    static Recipient recipient(String campaignId, String email, String template, Map<String, Object> variables) {
        return new Recipient(MessageIds.forCampaign(campaignId, email), email, template, null, null, "segment-a", variables);
    }

    /** {@code count} recipients of the greeting template with unique addresses. */
    public static List<Recipient> greeted(String campaignId, int count) {
        String run = UUID.randomUUID().toString().substring(0, 8);
        return IntStream.range(0, count)
                .mapToObj(i -> recipient(campaignId, "r" + i + "-" + run + "@example.org", "send-greeting",
                        Map.of("name", "Person " + i)))
                .toList();
    }

    /** Stores a template in S3 ({@code templates/<name>/<file>}), where the send flow looks first. */
    static void putTemplate(S3Client s3, AwsProperties aws, String name, Map<String, String> files) {
        files.forEach((file, content) -> s3.putObject(b -> b.bucket(aws.bucket()).key("templates/" + name + "/" + file),
                RequestBody.fromString(content)));
    }

    /** Splits the recipients into chunks of {@code size} and puts them on the send queue. */
    List<SendChunk> enqueue(String campaignId, List<Recipient> recipients, int size) {
        List<SendChunk> chunks = new ArrayList<>();
        for (int from = 0, n = 0; from < recipients.size(); from += size, n++) {
            SendChunk chunk = new SendChunk(campaignId, n, "Mailroutes Tests <tests@mailroutes.local>", null, null,
                    Map.of("source", "send-test"), recipients.subList(from, Math.min(from + size, recipients.size())));
            enqueue(aws.queues().send(), chunk);
            chunks.add(chunk);
        }
        return chunks;
    }

    void enqueue(String queue, SendChunk chunk) {
        try {
            String body = json.writeValueAsString(chunk);
            String url = sqs.getQueueUrl(b -> b.queueName(queue)).queueUrl();
            sqs.sendMessage(b -> b.queueUrl(url).messageBody(body));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The mails in the outbox to {@code address}. */
    public List<MimeMessage> mailsTo(String address) {
        return outbox().stream().filter(mail -> to(mail).equalsIgnoreCase(address)).toList();
    }

    /** The outbox mails carrying {@code X-Campaign-Id: campaignId}, by recipient. */
    Map<String, List<MimeMessage>> mailsOf(String campaignId) {
        Map<String, List<MimeMessage>> byRecipient = new HashMap<>();
        for (MimeMessage mail : outbox()) {
            if (campaignId.equals(header(mail, MimeComposer.CAMPAIGN_HEADER))) {
                byRecipient.computeIfAbsent(to(mail).toLowerCase(), r -> new ArrayList<>()).add(mail);
            }
        }
        return byRecipient;
    }

    /** When SES accepted each of the campaign's mails, in epoch milliseconds, earliest first. */
    long[] campaignAcceptedMillis(String campaignId) {
        List<Long> times = new ArrayList<>();
        for (Map.Entry<Path, MimeMessage> mail : outboxByFile().entrySet()) {
            if (campaignId.equals(header(mail.getValue(), MimeComposer.CAMPAIGN_HEADER))) {
                times.add(sesAcceptedMillis(mail.getKey().getFileName().toString()));
            }
        }
        return times.stream().mapToLong(Long::longValue).sorted().toArray();
    }

    /** When SES accepted a mail, from its message id: like SES's own, it starts with {@code 01} and the time in hex. */
    static long sesAcceptedMillis(String sesMessageId) {
        return Long.parseLong(sesMessageId.substring(2, 16), 16);
    }

    int mailCount(String campaignId) {
        return mailsOf(campaignId).values().stream().mapToInt(List::size).sum();
    }

    /** A mail count that answers whether it changed since it was last asked. */
    final class Count {
        private final String campaignId;
        private int last = -1;

        private Count(String campaignId) {
            this.campaignId = campaignId;
        }

        boolean stable() {
            int now = mailCount(campaignId);
            boolean same = now == last;
            last = now;
            return same;
        }
    }

    Count countOf(String campaignId) {
        return new Count(campaignId);
    }

    static String header(MimeMessage mail, String name) {
        try {
            return mail.getHeader(name, ",");
        } catch (MessagingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String to(MimeMessage mail) {
        try {
            return mail.getRecipients(Message.RecipientType.TO)[0].toString();
        } catch (MessagingException e) {
            throw new IllegalStateException(e);
        }
    }

    private List<MimeMessage> outbox() {
        return new ArrayList<>(outboxByFile().values());
    }

    private synchronized Map<Path, MimeMessage> outboxByFile() {
        Map<Path, MimeMessage> mails = new LinkedHashMap<>();
        for (Path file : LocalAws.get().ses().outboxFiles()) {
            if (parsed.containsKey(file) || modified(file).compareTo(since) >= 0) {
                mails.put(file, parsed.computeIfAbsent(file, SendFixture::parse));
            }
        }
        return mails;
    }

    private static FileTime modified(Path file) {
        try {
            return Files.getLastModifiedTime(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static MimeMessage parse(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return new MimeMessage(SESSION, in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (MessagingException e) {
            throw new IllegalStateException(file + " is not a MIME message", e);
        }
    }
}
