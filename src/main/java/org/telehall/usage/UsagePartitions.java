package org.telehall.usage;

import java.time.YearMonth;
import java.time.format.DateTimeFormatter;
import org.springframework.boot.context.event.ApplicationStartedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Keeps a monthly partition of usage_record ready for the 6 months a user may read and the
 * 2 months ahead, so records never pile into the default partition.
 */
@Component
class UsagePartitions {

    private static final DateTimeFormatter SUFFIX = DateTimeFormatter.ofPattern("yyyyMM");
    private final JdbcClient jdbc;

    UsagePartitions(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @EventListener(ApplicationStartedEvent.class)
    @Scheduled(cron = "0 0 3 * * *", zone = "Asia/Shanghai")
    void ensure() {
        YearMonth now = YearMonth.now(java.time.ZoneId.of("Asia/Shanghai"));
        for (int i = -UsageRecords.MONTHS_ONLINE; i <= 2; i++) {
            ensure(now.plusMonths(i));
        }
    }

    void ensure(YearMonth month) {
        String name = "usage_record_" + month.format(SUFFIX);
        // bounds at Beijing midnight, the same boundaries the 详单 month filter uses
        jdbc.sql("create table if not exists " + name + " partition of usage_record for values from ('"
                + month.atDay(1) + " 00:00:00+08') to ('" + month.plusMonths(1).atDay(1) + " 00:00:00+08')").update();
    }
}
