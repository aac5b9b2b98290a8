package org.telehall.identity;

import java.io.Serializable;

/**
 * The signed-in person as controllers see it, whether they came through a page session or an API
 * token. {@code customerId} is set for subscribers only: every customer-data read is scoped by it.
 */
public record HallUser(long userId, String username, Role role, Long customerId, String displayName) implements Serializable {

    public long requireCustomerId() {
        if (customerId == null) {
            throw new org.springframework.security.access.AccessDeniedException("not a subscriber");
        }
        return customerId;
    }
}
