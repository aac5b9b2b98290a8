package org.telehall.identity;

import java.time.Instant;

/** A stored user, with the fields sign-in needs. Stays inside the module; others see {@link HallUser}. */
record UserAccount(long id, String username, String passwordHash, Role role, Long customerId, String displayName,
                   String locale, boolean elderlyMode, int failedAttempts, Instant lockedUntil) {

    boolean lockedAt(Instant now) {
        return lockedUntil != null && lockedUntil.isAfter(now);
    }

    HallUser toHallUser() {
        return new HallUser(id, username, role, customerId, displayName);
    }
}
