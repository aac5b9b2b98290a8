package org.telehall.payment;

import java.time.LocalDate;
import net.javacrumbs.shedlock.spring.annotation.SchedulerLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Every night (Beijing time) reconciles yesterday's settlement files, now complete, and today's so far,
 * on one node only.
 */
@Component
class ReconciliationJob {

    private static final Logger log = LoggerFactory.getLogger(ReconciliationJob.class);
    private final Reconciliation reconciliation;

    ReconciliationJob(Reconciliation reconciliation) {
        this.reconciliation = reconciliation;
    }

    @Scheduled(cron = "${telehall.payments.reconcile-cron:0 30 2 * * *}", zone = "Asia/Shanghai")
    @SchedulerLock(name = "payment-reconciliation", lockAtMostFor = "PT30M", lockAtLeastFor = "PT10S")
    void nightly() {
        LocalDate today = reconciliation.today();
        for (LocalDate day : new LocalDate[]{today.minusDays(1), today}) {
            for (Reconciliation.Run run : reconciliation.reconcile(day, Reconciliation.ACTOR)) {
                log.info("reconciled {} {}: {} lines, {} matched, {} mismatches, {} fixed, {}", run.provider(), run.day(), run.providerLines(),
                        run.matched(), run.mismatches(), run.fixed(), run.status());
            }
        }
    }
}
