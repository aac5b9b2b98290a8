package org.telehall.platform;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Lets a few page reads work at once and queues the rest first come, first served. With virtual
 * threads every request starts at once: fifty pages in flight on two cores took turns on the cores,
 * the pooled connections (the pool lets a new borrower barge past those waiting) and PostgreSQL's
 * backends, so a page that lost a few of those races took several times the median (p99 ≈ 5 × p50).
 * Admitted in arrival order, a page waits its turn once and then runs with little competition: the
 * same throughput, a far shorter tail (bench/RESULTS.md "Home page latency"). A permit covers making
 * the page, not sending it (below).
 * <p>
 * Only page reads (GET/HEAD outside the APIs, the provider simulators, the demo outbox, static files and
 * Actuator) queue here. API calls and form posts (payments, orders) are not held back: an API client
 * wants problem details, not a busy page, and a write's time is mostly waiting for row locks and durable
 * commits, where a few permits would cap its throughput. The queue has a bound and a
 * longest wait; past either a page is answered 503 with {@code Retry-After} instead of waiting without
 * end. That is overload, not normal load: a page is about a millisecond of work, so the default bound
 * of 2,000 waiting pages is about a second of work on two cores. The queue's length, the pages at
 * work and the pages turned away are metrics ({@code telehall.pages.*}), so an operator sees a queue
 * that grows before anyone is turned away.
 * <p>
 * The permit is let go when the body starts to go out (the first call for the response's writer or
 * stream; pages are rendered into memory first), not when the client has it all: a receipt or a usage
 * export sent to a phone on a slow network would otherwise hold one of a few permits for seconds.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 2)
class PageAdmission extends OncePerRequestFilter implements MeterBinder {

    private static final Logger log = LoggerFactory.getLogger(PageAdmission.class);

    private final boolean on;
    private final Semaphore permits;
    private final int maxWaiting;
    private final long maxWaitNanos;
    private final int size;
    private volatile Counter turnedAway;

    PageAdmission(PageAdmissionProperties limits) {
        int n = limits.permitsOrDefault();
        this.on = n > 0;
        this.size = Math.max(n, 0);
        this.permits = new Semaphore(Math.max(n, 0), true);
        this.maxWaiting = limits.maxWaiting();
        this.maxWaitNanos = limits.maxWait().toNanos();
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !on || !isPageRead(request);
    }

    static boolean isPageRead(HttpServletRequest request) {
        String method = request.getMethod();
        if (!"GET".equals(method) && !"HEAD".equals(method)) {
            return false;
        }
        String path = request.getRequestURI().substring(request.getContextPath().length());
        return !(ApiPaths.isApi(path) || path.startsWith("/oauth2/")
                || path.startsWith("/sim/") || path.startsWith("/dev/") || path.startsWith("/actuator")
                || path.startsWith("/css/") || path.startsWith("/js/") || path.startsWith("/webjars/")
                || path.startsWith("/fonts/") || path.startsWith("/v3/api-docs") || path.startsWith("/swagger-ui")
                || path.equals("/favicon.ico"));
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (!admitted()) {
            log.warn("page queue full or waited too long ({} waiting): 503 for {}", waiting(),
                    request.getRequestURI());
            Counter counter = turnedAway;
            if (counter != null) {
                counter.increment();
            }
            response.setHeader(HttpHeaders.RETRY_AFTER, "1");
            response.sendError(HttpServletResponse.SC_SERVICE_UNAVAILABLE);
            return;
        }
        ReleasingResponse admittedResponse = new ReleasingResponse(response);
        try {
            chain.doFilter(request, admittedResponse);
        } finally {
            admittedResponse.release();
        }
    }

    /** The response of an admitted page: gives its permit back once, as soon as its body starts. */
    private final class ReleasingResponse extends HttpServletResponseWrapper {

        private boolean released;

        ReleasingResponse(HttpServletResponse response) {
            super(response);
        }

        void release() {
            if (!released) {
                released = true;
                permits.release();
            }
        }

        @Override
        public ServletOutputStream getOutputStream() throws IOException {
            release();
            return super.getOutputStream();
        }

        @Override
        public PrintWriter getWriter() throws IOException {
            release();
            return super.getWriter();
        }

        @Override
        public void flushBuffer() throws IOException {
            release();
            super.flushBuffer();
        }
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        Gauge.builder("telehall.pages.waiting", this, PageAdmission::waiting)
                .description("page reads queued for a permit (platform.PageAdmission)").register(registry);
        Gauge.builder("telehall.pages.working", this, PageAdmission::working)
                .description("page reads holding a permit").register(registry);
        Gauge.builder("telehall.pages.permits", this, a -> a.size)
                .description("page reads allowed to work at once").register(registry);
        turnedAway = Counter.builder("telehall.pages.turned.away")
                .description("page reads answered 503: queue full or waited too long").register(registry);
    }

    /** Pages holding a permit now. */
    int working() {
        return size - permits.availablePermits();
    }

    /** Pages waiting for a permit now (an estimate, as {@link Semaphore#getQueueLength()} is). */
    int waiting() {
        return permits.getQueueLength();
    }

    /** Permits free now. */
    int available() {
        return permits.availablePermits();
    }

    private boolean admitted() {
        if (waiting() >= maxWaiting) {
            return false;
        }
        try {
            return permits.tryAcquire(maxWaitNanos, TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
