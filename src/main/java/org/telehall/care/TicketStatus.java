package org.telehall.care;

/** A ticket is open until an agent closes it. */
public enum TicketStatus {
    OPEN,
    CLOSED
}
