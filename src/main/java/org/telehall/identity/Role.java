package org.telehall.identity;

public enum Role {
    SUBSCRIBER, AGENT, ADMIN;

    public String authority() {
        return "ROLE_" + name();
    }
}
