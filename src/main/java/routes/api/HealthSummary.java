package routes.api;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;
import routes.aws.DeadLetters;
import routes.send.SendRate;
import routes.webhooks.WebhookCircuitMeters;

/**
 * {@code GET /api/v1/health-summary}, the console's health strip: the send limit and the 24-hour budget used, each
 * queue's messages and dead letters (two GetQueueAttributes per queue, at the call), and the webhook subscribers'
 * circuit states. The limit and the circuits are the answering replica's; the depths and the budget are the cluster's.
 */
@Component
public class HealthSummary {

    private final SendRate sendRate;
    private final DeadLetters deadLetters;
    private final WebhookCircuitMeters circuits;

    public HealthSummary(SendRate sendRate, DeadLetters deadLetters, WebhookCircuitMeters circuits) {
        this.sendRate = sendRate;
        this.deadLetters = deadLetters;
        this.circuits = circuits;
    }

    public ApiReply get() {
        Map<String, Object> send = new LinkedHashMap<>();
        send.put("limitPerSecond", Math.round(sendRate.clusterCap() * 100) / 100.0);
        send.put("replicaLimitPerSecond", sendRate.perSecondCap());
        send.put("quotaUsed", Math.round(sendRate.dailyBudgetUsed() * 10000) / 10000.0);
        List<Map<String, Object>> queues = new ArrayList<>();
        for (String queue : deadLetters.queues()) {
            Map<String, Object> depth = new LinkedHashMap<>();
            depth.put("queue", queue);
            depth.put("messages", deadLetters.sourceDepth(queue));
            depth.put("deadLetters", deadLetters.depth(queue));
            queues.add(depth);
        }
        List<Map<String, Object>> webhooks = new ArrayList<>();
        circuits.states().forEach((subscriber, state) -> webhooks.add(Map.of("subscriber", subscriber, "circuit", state)));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("send", send);
        body.put("queues", queues);
        body.put("webhooks", webhooks);
        return ApiReply.json(200, body);
    }
}
