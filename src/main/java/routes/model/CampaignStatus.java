package routes.model;

import java.util.EnumSet;
import java.util.Set;

/** A campaign's life: ACCEPTED → SCHEDULED → LAUNCHING → SENDING → SENT → COMPLETED, or stopped on the way. */
public enum CampaignStatus {
    ACCEPTED,
    SCHEDULED,
    LAUNCHING,
    SENDING,
    SENT,
    COMPLETED,
    PAUSED,
    CANCELLED,
    REJECTED;

    private static final Set<CampaignStatus> SENDS_MAIL = EnumSet.of(LAUNCHING, SENDING);

    /** Whether recipients of a campaign in this status may be sent to now. */
    public boolean mayContinueSending() {
        return SENDS_MAIL.contains(this);
    }
}
