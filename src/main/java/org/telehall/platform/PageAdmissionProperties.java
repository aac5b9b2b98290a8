package org.telehall.platform;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * How many page requests work at once ({@code permits}: unset means two per core, 0 turns the queue
 * off), how many may wait ({@code maxWaiting}) and for how long ({@code maxWait}) before a page is
 * answered 503.
 */
@ConfigurationProperties("telehall.web.page-admission")
public record PageAdmissionProperties(Integer permits, int maxWaiting, Duration maxWait) {

    /**
     * Two per core: measured on 2 cores with PostgreSQL beside the hall (bench/RESULTS.md "Home page
     * latency"), one per core left the cores idle while a page waited for the database (half the
     * throughput) and four per core were no faster than two, with a longer tail.
     */
    public int permitsOrDefault() {
        return permits != null ? permits : 2 * Runtime.getRuntime().availableProcessors();
    }
}
