package routes.crash;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import routes.crash.MailroutesState.Row;
import routes.crash.Outbox.Mail;
import routes.localaws.LocalAwsProcess;

/**
 * Issue 17 §2: nothing lost, nothing twice, checked by killing real processes. The embedded AWS runs in its
 * own JVM ({@link LocalAwsProcess}); the application runs as separate JVMs against it ({@link MailroutesJvm}).
 *
 * <p>Part 1 drops a campaign file (default 2,000 simulator recipients: success, some bounce and complaint)
 * into {@code inbox/} and {@code kill -9}s the application at chosen moments (while it launches, after a
 * random number of mails, after a random amount of feedback), restarting it each time, until the campaign is
 * SENT, the launch, send and SES-event queues are empty and the ledger stops changing. It then counts, from
 * the SES outbox and the ledger: recipients mailed twice, recipients never mailed and not FAILED, events not
 * applied (a mailed recipient whose row is below the status its simulator outcome produces), and rows left
 * SENDING (the documented ambiguous window).
 *
 * <p>Part 2 runs two application JVMs at once, sharing the file-lock cluster directory, on one 500-recipient
 * campaign at a low rate, and reports duplicates and the most mails SES accepted in any 1-second window.
 *
 * <p>Not part of the suite (surefire excludes *Benchmark). Command and figures: docs/crash-harness.md.
 * Tunables (system properties): crash.recipients (2000), crash.kills (12), crash.rate (200),
 * crash.pair.recipients (500), crash.pair.rate (20), crash.seed (random), crash.stall-seconds (180: nothing moved
 * for this long ends the wait and is reported), crash.max-receive-count (the application's default, 5),
 * crash.parts (kill,pair).
 */
class CrashBenchmark {

    private static final String KILL_CAMPAIGN = "crash-kill";
    private static final String PAIR_CAMPAIGN = "crash-pair";
    private static final Duration START_TIMEOUT = Duration.ofMinutes(3);
    private static final Set<String> SENT_OR_LATER = Set.of("SENT", "COMPLETED");
    private static final Set<String> NOT_MAILED_BY_DESIGN = Set.of("FAILED", "REJECTED", "SUPPRESSED");
    /** docs/design.md: a lower rank never overwrites a higher one. */
    private static final Map<String, Integer> RANK = Map.ofEntries(Map.entry("QUEUED", 0), Map.entry("SENDING", 1),
            Map.entry("SENT", 2), Map.entry("DELIVERY_DELAYED", 3), Map.entry("SOFT_BOUNCED", 3),
            Map.entry("DELIVERED", 4), Map.entry("OPENED", 5), Map.entry("CLICKED", 6), Map.entry("FAILED", 7),
            Map.entry("REJECTED", 7), Map.entry("SUPPRESSED", 7), Map.entry("BOUNCED", 8), Map.entry("COMPLAINED", 9),
            Map.entry("UNSUBSCRIBED", 9));

    private enum Phase { LAUNCH, SEND, FEEDBACK }

    /** What waiting for a kill moment found: the moment, the campaign already past the phase, or nothing moving. */
    private enum Moment { REACHED, PAST, STALLED }

    /** {@code newlySending}: rows SENDING right after the kill that were not SENDING after the previous one. */
    private record Kill(int number, Phase target, String status, int enqueuedChunks, long mailsBefore, int sendingRows,
            int newlySending, double upSeconds) {}

    private final int recipients = Integer.getInteger("crash.recipients", 2000);
    private final int plannedKills = Integer.getInteger("crash.kills", 12);
    private final int rate = Integer.getInteger("crash.rate", 200);
    private final int pairRecipients = Integer.getInteger("crash.pair.recipients", 500);
    private final int pairRate = Integer.getInteger("crash.pair.rate", 20);
    private final long seed = Long.getLong("crash.seed", System.nanoTime());
    /** Which parts run: {@code kill} (part 1), {@code pair} (part 2), or both (the default). */
    private final List<String> parts = List.of(System.getProperty("crash.parts", "kill,pair").split(","));
    private final Duration stallAfter = Duration.ofSeconds(Long.getLong("crash.stall-seconds", 180));
    /** The application's default (5) unless set: each kill costs every chunk in flight one receive. */
    private final String maxReceiveCount = System.getProperty("crash.max-receive-count");
    private final Random random = new Random(seed);

    private Path work;
    private Map<String, URI> endpoints;
    private MailroutesState state;
    private Outbox outbox;
    private int jvms;

    @Test
    void killAndCount() throws Exception {
        long started = System.nanoTime();
        work = Path.of("target", "crash").toAbsolutePath();
        deleteTree(work);
        Files.createDirectories(work);
        endpoints = LocalAwsProcess.start(work.resolve("outbox"));
        outbox = new Outbox(work.resolve("outbox"));
        try (MailroutesState aws = new MailroutesState(endpoints)) {
            state = aws;
            List<String> report = new ArrayList<>();
            report.add(String.format("CRASH seed %d", seed));
            if (parts.contains("kill")) {
                killRun(report);
                report.add(String.format("CRASH part 1 wall time %.0f s", (System.nanoTime() - started) / 1e9));
            }
            if (parts.contains("pair")) {
                long pairStarted = System.nanoTime();
                pairRun(report);
                report.add(String.format("CRASH part 2 wall time %.0f s", (System.nanoTime() - pairStarted) / 1e9));
            }
            report.add(String.format("CRASH total wall time %.0f s", (System.nanoTime() - started) / 1e9));
            System.out.println();
            report.forEach(System.out::println);
        }
    }

    private void killRun(List<String> report) throws Exception {
        Map<String, String> outcomes = recipients(recipients, "");
        Map<String, String> properties = appProperties(rate);
        MailroutesJvm app = startApp(properties);
        state.dropCampaign(KILL_CAMPAIGN + ".json", campaignJson(KILL_CAMPAIGN, outcomes.keySet()));
        List<Kill> kills = new ArrayList<>();
        Set<String> sendingBefore = Set.of();
        for (Phase target : plan()) {
            long up = System.nanoTime();
            Moment moment = awaitMoment(target, (int) kills.stream().filter(kill -> kill.target() == Phase.LAUNCH).count());
            if (moment == Moment.STALLED) {
                report.add(String.format("CRASH   STALLED while aiming kill %d at %s: nothing moved for %d s; campaign %s, %,d mails"
                                + " in the outbox, queues %s", kills.size() + 1, target, stallAfter.toSeconds(),
                        state.campaign(KILL_CAMPAIGN).orElse(null), outbox.count(), state.queueDepths()));
                break;
            }
            if (moment == Moment.PAST) {
                continue;
            }
            MailroutesState.Campaign campaign = state.campaign(KILL_CAMPAIGN).orElseThrow();
            long mails = outbox.count();
            app.kill();
            Set<String> sending = state.rows(KILL_CAMPAIGN).stream().filter(row -> row.status().equals("SENDING"))
                    .map(Row::messageId).collect(Collectors.toSet());
            Set<String> previous = sendingBefore;
            int newly = (int) sending.stream().filter(id -> !previous.contains(id)).count();
            Kill kill = new Kill(kills.size() + 1, target, campaign.status(), campaign.enqueuedChunks(), mails, sending.size(), newly,
                    (System.nanoTime() - up) / 1e9);
            sendingBefore = sending;
            kills.add(kill);
            System.out.println("CRASH " + kill);
            app = startApp(properties);
        }
        boolean settled = awaitSettled(KILL_CAMPAIGN, Duration.ofMinutes(20));
        app.stop();

        report.add(String.format("CRASH part 1: %,d recipients, send max-rate %d/s, max-receive-count %s, %d kills (planned %d),"
                        + " %d application JVMs; %s", recipients, rate, maxReceiveCount == null ? "5 (default)" : maxReceiveCount,
                kills.size(), plan().size(), jvms, settled ? "settled" : "NOT SETTLED (nothing moved for " + stallAfter.toSeconds() + " s)"));
        for (Kill kill : kills) {
            report.add(String.format("CRASH   kill %2d aimed at %-8s campaign %-9s (%2d chunks enqueued) after %5.1f s up, %,5d mails"
                            + " in the outbox before; after it %d rows SENDING, %d of them new", kill.number(), kill.target(),
                    kill.status(), kill.enqueuedChunks(), kill.upSeconds(), kill.mailsBefore(), kill.sendingRows(), kill.newlySending()));
        }
        tally(report, KILL_CAMPAIGN, outcomes);
    }

    private void pairRun(List<String> report) throws Exception {
        Map<String, String> outcomes = recipients(pairRecipients, "p");
        Map<String, String> properties = appProperties(pairRate);
        MailroutesJvm first = startApp(properties);
        MailroutesJvm second = startApp(properties);
        state.dropCampaign(PAIR_CAMPAIGN + ".json", campaignJson(PAIR_CAMPAIGN, outcomes.keySet()));
        boolean settled = awaitSettled(PAIR_CAMPAIGN, Duration.ofMinutes(15));
        first.stop();
        second.stop();
        report.add(String.format("CRASH part 2: two application JVMs at once, one campaign of %,d recipients, max-rate %d/s; %s",
                pairRecipients, pairRate, settled ? "settled" : "NOT SETTLED"));
        tally(report, PAIR_CAMPAIGN, outcomes);
        List<Long> times = outbox.mails(PAIR_CAMPAIGN).stream().map(Mail::acceptedAtMillis).sorted().toList();
        int max = 0;
        long maxAt = 0;
        for (int i = 0, j = 0; i < times.size(); i++) {
            while (j < times.size() && times.get(j) - times.get(i) < 1000) {
                j++;
            }
            if (j - i > max) {
                max = j - i;
                maxAt = times.get(i);
            }
        }
        double span = times.isEmpty() ? 0 : (times.get(times.size() - 1) - times.get(0)) / 1000.0;
        report.add(String.format("CRASH   most mails SES accepted in any 1 s window: %d (limit %d/s; window starting %s);"
                + " mean %.1f/s over %.0f s", max, pairRate, java.time.Instant.ofEpochMilli(maxAt), times.size() / Math.max(span, 1), span));
    }

    /** Launch kills first (the campaign launches once), then sends, then feedback; a quarter each at the ends. */
    private List<Phase> plan() {
        int ends = Math.max(3, plannedKills / 4);
        List<Phase> plan = new ArrayList<>();
        for (int i = 0; i < plannedKills; i++) {
            plan.add(i < ends ? Phase.LAUNCH : i < plannedKills - ends ? Phase.SEND : Phase.FEEDBACK);
        }
        return plan;
    }

    /**
     * Waits for a moment in the aimed phase. LAUNCH: this JVM moved the launch heartbeat and has enqueued at least
     * 10 chunks per earlier launch kill (the first kill lands right after the claim, the next ones mid-enqueue, where
     * the resumed launch relies on the FIFO queue's deduplication). SEND: a random 20–300 more mails. FEEDBACK: the campaign is SENT and a random 5–60 more
     * rows reached DELIVERED or beyond. PAST if the campaign is beyond the phase, STALLED if nothing moves.
     */
    private Moment awaitMoment(Phase target, int launchKills) {
        AtomicReference<Moment> moment = new AtomicReference<>();
        Stall stall = new Stall(stallAfter);
        switch (target) {
            case LAUNCH -> {
                String heartbeat = state.campaign(KILL_CAMPAIGN).map(MailroutesState.Campaign::launchHeartbeat).orElse(null);
                awaitMoment(moment, Duration.ofMillis(20), () -> {
                    MailroutesState.Campaign campaign = state.campaign(KILL_CAMPAIGN).orElse(null);
                    if (campaign != null && !Set.of("ACCEPTED", "SCHEDULED", "LAUNCHING").contains(campaign.status())) {
                        return Moment.PAST;
                    }
                    if (campaign != null && campaign.status().equals("LAUNCHING") && campaign.launchHeartbeat() != null
                            && !campaign.launchHeartbeat().equals(heartbeat) && campaign.enqueuedChunks() >= 10 * launchKills) {
                        return Moment.REACHED;
                    }
                    return stall.check(campaign == null ? "" : campaign.status() + campaign.launchHeartbeat()) ? Moment.STALLED : null;
                });
            }
            case SEND -> {
                long goal = outbox.count() + 20 + random.nextInt(281);
                awaitMoment(moment, Duration.ofMillis(20), () -> {
                    long mails = outbox.count();
                    if (mails >= goal) {
                        return Moment.REACHED;
                    }
                    if (SENT_OR_LATER.contains(state.status(KILL_CAMPAIGN))) {
                        return Moment.PAST;
                    }
                    return stall.check(mails) ? Moment.STALLED : null;
                });
            }
            case FEEDBACK -> {
                awaitMoment(moment, Duration.ofMillis(200), () -> {
                    if (SENT_OR_LATER.contains(state.status(KILL_CAMPAIGN))) {
                        return Moment.REACHED;
                    }
                    return stall.check(outbox.count()) ? Moment.STALLED : null;
                });
                if (moment.get() != Moment.REACHED) {
                    return moment.get();
                }
                moment.set(null);
                long goal = applied(KILL_CAMPAIGN) + 5 + random.nextInt(56);
                awaitMoment(moment, Duration.ofMillis(300), () -> {
                    long applied = applied(KILL_CAMPAIGN);
                    if (applied >= goal) {
                        return Moment.REACHED;
                    }
                    if (state.queuesEmpty()) {
                        return Moment.PAST;
                    }
                    return stall.check(applied) ? Moment.STALLED : null;
                });
            }
            default -> throw new IllegalStateException(target.name());
        }
        return moment.get();
    }

    private static void awaitMoment(AtomicReference<Moment> moment, Duration poll, Callable<Moment> probe) {
        await().atMost(Duration.ofMinutes(30)).pollInterval(poll).until(() -> {
            moment.set(probe.call());
            return moment.get() != null;
        });
    }

    /** Notices when nothing has moved for a while: a stuck campaign is a finding, not a reason to wait for ever. */
    private static final class Stall {
        private final Duration limit;
        private Object last;
        private long since = System.nanoTime();

        Stall(Duration limit) {
            this.limit = limit;
        }

        boolean check(Object signature) {
            if (!signature.equals(last)) {
                last = signature;
                since = System.nanoTime();
                return false;
            }
            return System.nanoTime() - since > limit.toNanos();
        }
    }

    private long applied(String campaignId) {
        return state.rows(campaignId).stream().filter(row -> RANK.getOrDefault(row.status(), 0) >= RANK.get("DELIVERED")).count();
    }

    /**
     * SENT (or COMPLETED), the work queues empty, and the ledger unchanged over two polls 5 s apart; false if
     * nothing (outbox, ledger, campaign status) moved for the stall time before that.
     */
    private boolean awaitSettled(String campaignId, Duration timeout) {
        AtomicReference<Map<String, Long>> last = new AtomicReference<>(Map.of());
        AtomicReference<Boolean> settled = new AtomicReference<>();
        Stall stall = new Stall(stallAfter);
        await("campaign " + campaignId + " settled").atMost(timeout).pollInterval(Duration.ofSeconds(5)).until(() -> {
            Map<String, Long> now = statusCounts(state.rows(campaignId));
            boolean stable = now.equals(last.getAndSet(now));
            String status = state.status(campaignId);
            if (stable && SENT_OR_LATER.contains(status) && state.queuesEmpty()) {
                settled.set(true);
            } else if (stall.check(List.of(now, status, outbox.count()))) {
                settled.set(false);
            }
            return settled.get() != null;
        });
        return settled.get();
    }

    private void tally(List<String> report, String campaignId, Map<String, String> outcomes) {
        Map<String, Long> mailed = outbox.mails(campaignId).stream()
                .collect(Collectors.groupingBy(Mail::recipient, TreeMap::new, Collectors.counting()));
        List<Row> rows = state.rows(campaignId);
        Map<String, Row> byRecipient = rows.stream().collect(Collectors.toMap(Row::recipient, Function.identity(), (a, b) -> a));
        Map<String, Long> twice = mailed.entrySet().stream().filter(e -> e.getValue() > 1)
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue, (a, b) -> a, TreeMap::new));
        List<String> lost = new ArrayList<>();
        List<String> notApplied = new ArrayList<>();
        List<String> ambiguous = new ArrayList<>();
        for (Map.Entry<String, String> recipient : outcomes.entrySet()) {
            Row row = byRecipient.get(recipient.getKey());
            String status = row == null ? "no ledger row" : row.status();
            boolean wasMailed = mailed.containsKey(recipient.getKey());
            if (row != null && status.equals("SENDING")) {
                ambiguous.add(describe(recipient.getKey(), row, wasMailed));
            }
            if (!wasMailed && !NOT_MAILED_BY_DESIGN.contains(status)) {
                lost.add(describe(recipient.getKey(), row, false));
            } else if (wasMailed && RANK.getOrDefault(status, -1) < RANK.get(recipient.getValue())) {
                notApplied.add(describe(recipient.getKey(), row, true) + " expected " + recipient.getValue()
                        + (row == null ? "" : "; event log " + state.eventKeys(row.messageId())));
            }
        }
        report.add(String.format("CRASH   outbox: %,d mails to %,d distinct recipients; ledger: %,d rows %s", mailed.values().stream()
                .mapToLong(Long::longValue).sum(), mailed.size(), rows.size(), statusCounts(rows)));
        report.add(String.format("CRASH   campaign row: %s", state.campaign(campaignId).orElse(null)));
        report.add(String.format("CRASH   queues (visible + in flight + delayed): %s", state.queueDepths()));
        report.add(String.format("CRASH   mailed twice (or more): %d %s", twice.size(), twice));
        report.add(String.format("CRASH   never mailed and not FAILED: %d", lost.size()));
        lost.forEach(line -> report.add("CRASH     lost " + line));
        report.add(String.format("CRASH   events not applied: %d", notApplied.size()));
        notApplied.forEach(line -> report.add("CRASH     not applied " + line));
        report.add(String.format("CRASH   ambiguous (left SENDING): %d, of which mailed %d", ambiguous.size(),
                ambiguous.stream().filter(line -> line.endsWith(", mailed")).count()));
        ambiguous.forEach(line -> report.add("CRASH     ambiguous " + line));
    }

    private static String describe(String recipient, Row row, boolean mailed) {
        return recipient + (row == null ? ": no ledger row" : ": messageId " + row.messageId() + " status " + row.status()
                + (row.lastError() == null ? "" : " lastError " + row.lastError())) + (mailed ? ", mailed" : ", not mailed");
    }

    private static Map<String, Long> statusCounts(List<Row> rows) {
        return rows.stream().collect(Collectors.groupingBy(Row::status, TreeMap::new, Collectors.counting()));
    }

    /** Simulator recipients and the status each must end in: 1 in 40 bounces, 1 in 100 complains, the rest deliver. */
    private static Map<String, String> recipients(int count, String label) {
        Map<String, String> outcomes = new LinkedHashMap<>();
        for (int i = 0; i < count; i++) {
            String mailbox = i % 40 == 7 ? "bounce" : i % 100 == 13 ? "complaint" : "success";
            String expected = switch (mailbox) {
                case "bounce" -> "BOUNCED";
                case "complaint" -> "COMPLAINED";
                default -> "DELIVERED";
            };
            outcomes.put(mailbox + "+" + label + i + "@simulator.amazonses.com", expected);
        }
        return outcomes;
    }

    private static String campaignJson(String campaignId, Iterable<String> addresses) {
        StringBuilder json = new StringBuilder("{\"campaignId\":\"" + campaignId + "\",\"name\":\"crash harness\","
                + "\"from\":\"Mailroutes <hello@example.com>\",\"template\":\"welcome\",\"segments\":[{\"listName\":\"crash\","
                + "\"recipients\":[");
        String separator = "";
        for (String address : addresses) {
            json.append(separator).append("{\"email\":\"").append(address).append("\",\"firstName\":\"Crash\"}");
            separator = ",";
        }
        return json.append("]}]}").toString();
    }

    private Map<String, String> appProperties(int maxRate) {
        Map<String, String> properties = new HashMap<>();
        properties.put("mailroutes.send.max-rate", String.valueOf(maxRate));
        // Launch every 5 s instead of 15, in chunks of 50 so a launch lasts long enough to be killed in, and a
        // crashed launch is resumed after 20 s instead of 2 minutes.
        properties.put("mailroutes.launch.cron", "0/5 * * * * ?");
        properties.put("mailroutes.launch.max-chunk-recipients", "50");
        properties.put("mailroutes.launch.stale-after", "20s");
        // The campaign bounces and complains on purpose; the reputation guard would pause it.
        properties.put("mailroutes.feedback.reputation.bounce-rate", "1");
        properties.put("mailroutes.feedback.reputation.complaint-rate", "1");
        if (maxReceiveCount != null) {
            properties.put("mailroutes.aws.max-receive-count", maxReceiveCount);
        }
        return properties;
    }

    private MailroutesJvm startApp(Map<String, String> properties) {
        int number = ++jvms;
        MailroutesJvm app = MailroutesJvm.start(endpoints, work.resolve("cluster"), work.resolve("app-" + number + ".log"), properties);
        app.awaitStarted(START_TIMEOUT);
        System.out.printf("CRASH application JVM %d (pid %d) started%n", number, app.pid());
        return app;
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (var tree = Files.walk(root)) {
            for (Path path : tree.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
