package org.telehall.identity;

public enum Role {
    SUBSCRIBER, AGENT, ADMIN,
    /** An API client of the network (usage in); never a person, never signs in to pages. */
    NETWORK;

    public String authority() {
        return "ROLE_" + name();
    }
}
