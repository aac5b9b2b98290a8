package org.telehall.payment;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/** Asks providers about payments whose notification never came (each order row is settled under its own lock). */
@Component
class PaymentSweeper {

    private static final Logger log = LoggerFactory.getLogger(PaymentSweeper.class);
    private final Payments payments;

    PaymentSweeper(Payments payments) {
        this.payments = payments;
    }

    @Scheduled(fixedDelayString = "${telehall.payments.query-every:30s}", initialDelayString = "${telehall.payments.query-every:30s}")
    void sweep() {
        try {
            int settled = payments.queryPending();
            if (settled > 0) {
                log.info("{} payments settled by order query", settled);
            }
        } catch (RuntimeException e) {
            log.warn("payment query round failed; tried again next round", e);
        }
    }
}
