package org.telehall.billing;

import java.time.Clock;
import java.time.LocalDate;
import net.javacrumbs.shedlock.spring.annotation.SchedulerLock;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.telehall.customer.Customer;

/** Every morning (reminders by day, not at night) the postpaid round, on one node only. */
@Component
class PostpaidJob {

    private final Postpaid postpaid;
    private final Clock clock;

    PostpaidJob(Postpaid postpaid, Clock clock) {
        this.postpaid = postpaid;
        this.clock = clock;
    }

    @Scheduled(cron = "${telehall.billing.dunning-cron:0 0 10 * * *}", zone = "Asia/Shanghai")
    @SchedulerLock(name = "postpaid-dunning", lockAtMostFor = "PT1H", lockAtLeastFor = "PT1M")
    void daily() {
        postpaid.run(LocalDate.ofInstant(clock.instant(), Customer.ZONE));
    }
}
