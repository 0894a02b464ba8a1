package routes.model;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.UUID;

/** Ledger keys. A campaign message's id is derived, so a re-run of a campaign finds the same ledger row. */
public final class MessageIds {

    private MessageIds() {
    }

    public static String forCampaign(String campaignId, String email) {
        String name = campaignId + "\n" + email.trim().toLowerCase(Locale.ROOT);
        return UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8)).toString();
    }
}
