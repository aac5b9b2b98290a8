package org.telehall.notify;

/**
 * The port to an SMS centre. The default adapter only records the message (the demo shows it on
 * the dev outbox page); an SMPP adapter takes its place when an SMS centre is configured.
 */
public interface SmsGateway {

    /** The gateway's name, kept with each message sent through it. */
    String name();

    /** Hands one message to the SMS centre; throws when the centre did not take it. */
    void deliver(String msisdn, String body);
}
