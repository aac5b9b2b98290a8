package org.telehall.notify;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Used when no SMS centre is configured: messages are only recorded (and readable at /dev/sms in the demo). */
@Configuration(proxyBeanMethods = false)
class OutboxOnlySmsGateway {

    private static final Logger log = LoggerFactory.getLogger(OutboxOnlySmsGateway.class);

    @Bean
    @ConditionalOnMissingBean(SmsGateway.class)
    SmsGateway outboxOnly() {
        return new SmsGateway() {
            @Override
            public String name() {
                return "outbox";
            }

            @Override
            public void deliver(String msisdn, String body) {
                log.debug("SMS to {} recorded in the outbox only", org.telehall.shared.Msisdn.maskNumber(msisdn));
            }
        };
    }
}
