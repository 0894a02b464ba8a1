package routes.send;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import routes.MailroutesTest;
import routes.aws.AwsProperties;
import routes.aws.Tables;
import routes.store.SendLog;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.ses.SesClient;

/** The cluster's rate and 24-hour budget, shared through the events table. */
@MailroutesTest
class SendShareTest {

    @Autowired SendRate sendRate;
    @Autowired SendLog sendLog;
    @Autowired SendProperties properties;
    @Autowired SesClient ses;
    @Autowired Clock clock;
    @Autowired DynamoDbClient dynamo;
    @Autowired AwsProperties aws;

    @AfterEach
    void forgetPeers() {
        for (String peer : new String[] {"peer-a", "peer-b"}) {
            dynamo.deleteItem(b -> b.tableName(aws.table(Tables.EVENTS)).key(Map.of(
                    "messageId", AttributeValue.fromS("replicas"), "eventKey", AttributeValue.fromS(peer))));
        }
        sendRate.refreshShare();
        sendRate.reset();
    }

    @Test
    void theConfiguredRateIsSplitAmongTheLiveReplicasOnly() {
        sendRate.setMaxRate(30);
        sendRate.refreshShare();
        assertThat(sendRate.perSecondCap()).as("this replica alone").isEqualTo(30);

        sendLog.heartbeat("peer-a");
        sendLog.heartbeat("peer-b");
        sendRate.refreshShare();
        assertThat(sendRate.perSecondCap()).isEqualTo(10);

        // peer-b stopped beating five minutes ago
        dynamo.putItem(b -> b.tableName(aws.table(Tables.EVENTS)).item(Map.of(
                "messageId", AttributeValue.fromS("replicas"), "eventKey", AttributeValue.fromS("peer-b"),
                "seenAt", AttributeValue.fromS(Instant.now().minusSeconds(300).toString()))));
        sendRate.refreshShare();
        assertThat(sendRate.perSecondCap()).isEqualTo(15);
    }

    @Test
    void theTwentyFourHourBudgetIsTheClustersAndOutlivesTheProcess() {
        sendRate.refreshShare();
        assertThat(sendRate.dailyBudgetLeft()).isTrue();
        long budget = properties.maxPer24h();
        sendLog.addSent(budget);
        try {
            sendRate.refreshShare();
            assertThat(sendRate.dailyBudgetLeft()).as("the other replicas used it up").isFalse();

            SendRate afterRestart = new SendRate(properties, ses, clock, sendLog);
            afterRestart.refreshShare();
            assertThat(afterRestart.dailyBudgetLeft()).as("a restarted replica reads the count back").isFalse();
            afterRestart.leave();
        } finally {
            sendLog.addSent(-budget);
        }
        sendRate.refreshShare();
        assertThat(sendRate.dailyBudgetLeft()).isTrue();
    }
}
