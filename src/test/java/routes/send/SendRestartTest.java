package routes.send;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static routes.send.SendFixture.greeted;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.mail.internet.MimeMessage;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import routes.Application;
import routes.MailroutesTest;
import routes.aws.AwsProperties;
import routes.model.CampaignStatus;
import routes.model.MessageStatus;
import routes.model.SendChunk;
import routes.model.SendChunk.Recipient;
import routes.store.Campaigns;
import routes.store.Ledger;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * A send-flow process stops mid-campaign and another starts: its own Spring and Camel context, on the
 * same embedded AWS. The suite's shared context only provides the AWS clients meanwhile: its send
 * consumer is stopped so the two processes alone take the chunks.
 */
@MailroutesTest
class SendRestartTest {

    @Autowired DynamoDbClient dynamo;
    @Autowired SqsClient sqs;
    @Autowired AwsProperties aws;
    @Autowired ObjectMapper json;
    @Autowired Ledger ledger;
    @Autowired Campaigns campaigns;
    @Autowired CamelContext camel;

    @Test
    void stoppingTheApplicationMidCampaignAndStartingItAgainSendsNobodyTwiceAndMissesNobody() throws Exception {
        SendFixture fixture = new SendFixture(dynamo, sqs, aws, json);
        String campaignId = fixture.campaign(CampaignStatus.SENDING, 8);
        List<Recipient> recipients = greeted(campaignId, 80);
        // A crash between claim and SES's answer left this row SENDING: on-ambiguous=skip never sends it again.
        Recipient ambiguous = recipients.get(42);
        ledger.claim(new SendChunk(campaignId, 0, null, null, null, null, List.of()), ambiguous, null, List.of());
        camel.getRouteController().stopRoute("send");
        try {
            fixture.enqueue(campaignId, recipients, 10);
            int sentBeforeRestart;
            try (ConfigurableApplicationContext first = sendingProcess()) {
                await().atMost(Duration.ofSeconds(60)).until(() -> fixture.mailCount(campaignId) >= 10);
            } // a graceful stop: recipients waiting for an SES slot go back to the queue, QUEUED

            sentBeforeRestart = fixture.mailCount(campaignId);
            try (ConfigurableApplicationContext second = sendingProcess()) {
                await().atMost(Duration.ofSeconds(60)).until(() -> campaigns.status(campaignId).orElseThrow() == CampaignStatus.SENT);
            }

            assertThat(sentBeforeRestart).as("stopped mid-campaign").isLessThan(40);
            Map<String, List<MimeMessage>> mails = fixture.mailsOf(campaignId);
            assertThat(mails.values()).allSatisfy(list -> assertThat(list).hasSize(1));
            assertThat(mails).hasSize(79).doesNotContainKey(ambiguous.email());
            assertThat(ledger.find(ambiguous.messageId()).orElseThrow().status()).isEqualTo(MessageStatus.SENDING);
        } finally {
            camel.getRouteController().startRoute("send");
        }
    }

    /** The application with the send flow only (the other flows run in the suite's context). */
    private static ConfigurableApplicationContext sendingProcess() {
        return new SpringApplicationBuilder(Application.class).run(
                "--server.port=0",
                "--management.server.port=0",
                "--camel.main.routes-include-pattern=classpath:routes/send.yaml",
                "--mailroutes.send.max-rate=10");
    }
}
