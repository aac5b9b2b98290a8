package org.telehall.notify;

import org.springframework.stereotype.Component;
import org.telehall.identity.CodeMessenger;

/** One-time codes go out as SMS through the same gateway and record as every other message. */
@Component
class SmsCodeMessenger implements CodeMessenger {

    private final Sms sms;

    SmsCodeMessenger(Sms sms) {
        this.sms = sms;
    }

    @Override
    public void send(String msisdn, String text, String purpose) {
        sms.send(msisdn, text, purpose);
    }
}
