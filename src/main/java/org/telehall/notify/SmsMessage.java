package org.telehall.notify;

import java.time.Instant;

public record SmsMessage(long id, String msisdn, String body, String purpose, String gateway, Instant sentAt) {
}
