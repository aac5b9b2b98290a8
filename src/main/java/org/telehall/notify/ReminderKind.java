package org.telehall.notify;

/**
 * What a reminder is about: the unit a customer turns on or off on the settings page. Service
 * notices (suspension and restoration) cannot be turned off and are sent in quiet hours too.
 */
public enum ReminderKind {
    DATA(true),
    LOW_BALANCE(true),
    ROAMING(true),
    FEE(true),
    RENEWAL(true),
    ABNORMAL_SPEND(true),
    USAGE_SUMMARY(true),
    SERVICE(false);

    private final boolean optional;

    ReminderKind(boolean optional) {
        this.optional = optional;
    }

    /** May the customer turn it off (and is its SMS held in quiet hours)? */
    public boolean optional() {
        return optional;
    }
}
