package org.telehall.notify;

/**
 * The port to an SMS centre. The default adapter only records the message (the demo shows it on
 * the dev outbox page); an SMPP adapter takes its place when an SMS centre is configured.
 */
public interface SmsGateway {

    /** Hands one message to the SMS centre; returns the gateway's name for the record. */
    String deliver(String msisdn, String body);
}
