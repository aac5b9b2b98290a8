package org.telehall.identity;

/**
 * How a one-time code reaches the phone. The notify module sends it as an SMS; the port lives here so
 * that identity, which every module's pages use, depends on no messaging module (and notify may use
 * identity: whose phone and language a customer's reminders go to).
 */
public interface CodeMessenger {

    /** Sends {@code text} to {@code msisdn} now; {@code purpose} is kept with the record of the message. */
    void send(String msisdn, String text, String purpose);
}
