package org.telehall.ordering;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.MessageSource;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;
import org.telehall.catalog.Catalog;
import org.telehall.catalog.Offering;
import org.telehall.customer.Customer;
import org.telehall.identity.Accounts;
import org.telehall.inventory.Inventory;
import org.telehall.inventory.Product;
import org.telehall.notify.Sms;

/**
 * Free trials end by themselves: 3 days before, the customer gets an SMS saying when and how to keep
 * the service; at the end an unrenewed service stops, free of charge, and the customer is told.
 * Each reminder and each ending happens once, whichever node gets there first (conditional updates).
 */
@Component
public class ServiceTrials {

    static final Duration REMIND_BEFORE = Duration.ofDays(3);
    private static final int BATCH = 200;
    private static final Logger log = LoggerFactory.getLogger(ServiceTrials.class);

    private final Inventory inventory;
    private final Catalog catalog;
    private final Accounts accounts;
    private final Sms sms;
    private final MessageSource messages;
    private final TransactionTemplate tx;
    private final Clock clock;

    ServiceTrials(Inventory inventory, Catalog catalog, Accounts accounts, Sms sms, MessageSource messages, TransactionTemplate tx,
                  Clock clock) {
        this.inventory = inventory;
        this.catalog = catalog;
        this.accounts = accounts;
        this.sms = sms;
        this.messages = messages;
        this.tx = tx;
        this.clock = clock;
    }

    @Scheduled(fixedDelayString = "${telehall.trials.poll:60s}", initialDelayString = "${telehall.trials.poll:60s}")
    void poll() {
        try {
            run();
        } catch (RuntimeException e) {
            log.warn("trial round failed; it is tried again next round", e);
        }
    }

    /** Sends due reminders and ends run-out trials; returns how many of each, for tests and logs. */
    public int[] run() {
        Instant now = clock.instant();
        int reminded = 0, ended = 0;
        for (Product p : inventory.trialsToRemind(now.plus(REMIND_BEFORE), BATCH)) {
            if (p.trialEndsAt().isAfter(now) && Boolean.TRUE.equals(tx.execute(s -> remind(p, now)))) {
                reminded++;
            }
        }
        for (Product p : inventory.trialsRunOut(now, BATCH)) {
            if (Boolean.TRUE.equals(tx.execute(s -> end(p, now)))) {
                ended++;
            }
        }
        return new int[]{reminded, ended};
    }

    private boolean remind(Product p, Instant now) {
        if (!inventory.markTrialReminded(p.id(), now)) {
            return false;
        }
        tell(p, "trial.sms.reminder");
        return true;
    }

    private boolean end(Product p, Instant now) {
        if (!inventory.terminate(p.customerId(), p.id(), p.trialEndsAt())) {
            return false;
        }
        tell(p, "trial.sms.ended");
        return true;
    }

    private void tell(Product p, String key) {
        accounts.subscriberLoginOf(p.customerId()).ifPresent(login -> {
            Locale locale = login.locale();
            Offering offering = catalog.get(p.offeringId());
            String day = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").format(p.trialEndsAt().atZone(Customer.ZONE));
            sms.send(login.msisdn(), messages.getMessage(key, new Object[]{offering.name(locale), day,
                    p.recurringFee().display()}, locale), "trial");
        });
    }
}
