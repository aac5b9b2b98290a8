package org.telehall.platform;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.servlet.FilterChain;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

/** Page reads queue for a few permits in arrival order; everything else passes; overload gets a 503. */
class PageAdmissionTest {

    private final CountDownLatch releaseFirst = new CountDownLatch(1);
    private final CountDownLatch firstInside = new CountDownLatch(1);
    /** The first page: holds its permit until released. */
    private final FilterChain holdingPage = (req, res) -> {
        firstInside.countDown();
        await(releaseFirst);
    };
    private final List<Thread> started = new CopyOnWriteArrayList<>();

    @AfterEach
    void letEveryoneGo() throws InterruptedException {
        releaseFirst.countDown();
        for (Thread t : started) {
            t.join(5_000);
        }
    }

    @Test
    void a_page_waits_while_the_permits_are_taken_and_pages_go_in_in_the_order_they_came() throws Exception {
        PageAdmission admission = new PageAdmission(new PageAdmissionProperties(1, 100, Duration.ofSeconds(10)));
        List<String> entered = new CopyOnWriteArrayList<>();
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger mostInside = new AtomicInteger();
        FilterChain page = (req, res) -> {
            mostInside.accumulateAndGet(inside.incrementAndGet(), Math::max);
            entered.add(((MockHttpServletRequest) req).getParameter("who"));
            if ("first".equals(req.getParameter("who"))) {
                await(releaseFirst);
            }
            inside.decrementAndGet();
        };
        serveInBackground(admission, get("/", "first"), page);
        awaitUntil(() -> entered.size() == 1);
        for (String who : List.of("second", "third", "fourth")) {
            int queuedBefore = admission.waiting();
            serveInBackground(admission, get("/bills", who), page);
            awaitUntil(() -> admission.waiting() == queuedBefore + 1);
        }
        assertThat(entered).containsExactly("first");

        releaseFirst.countDown();
        awaitUntil(() -> entered.size() == 4);
        assertThat(entered).containsExactly("first", "second", "third", "fourth");
        assertThat(mostInside).hasValue(1);
    }

    @Test
    void a_page_is_answered_503_with_retry_after_when_the_queue_is_full() throws Exception {
        PageAdmission admission = new PageAdmission(new PageAdmissionProperties(1, 1, Duration.ofSeconds(10)));
        serveInBackground(admission, get("/", "first"), holdingPage);
        await(firstInside);
        serveInBackground(admission, get("/", "second"), holdingPage);
        awaitUntil(() -> admission.waiting() == 1);

        MockHttpServletResponse third = new MockHttpServletResponse();
        admission.doFilter(get("/", "third"), third, (req, res) -> { throw new AssertionError("let in past a full queue"); });

        assertThat(third.getStatus()).isEqualTo(503);
        assertThat(third.getHeader("Retry-After")).isEqualTo("1");
    }

    @Test
    void a_page_is_answered_503_when_it_waited_longer_than_the_longest_wait() throws Exception {
        PageAdmission admission = new PageAdmission(new PageAdmissionProperties(1, 100, Duration.ofMillis(50)));
        serveInBackground(admission, get("/", "first"), holdingPage);
        await(firstInside);

        MockHttpServletResponse second = new MockHttpServletResponse();
        admission.doFilter(get("/", "second"), second, (req, res) -> { throw new AssertionError("let in without a permit"); });

        assertThat(second.getStatus()).isEqualTo(503);
    }

    @Test
    void a_page_lets_go_of_its_permit_when_its_body_starts_so_a_slow_download_does_not_hold_the_queue() throws Exception {
        // a page waits at most 2 s, far less than the download below holds on
        PageAdmission admission = new PageAdmission(new PageAdmissionProperties(1, 100, Duration.ofSeconds(2)));
        // a receipt going out to a slow phone: its bytes are made, the stream is taken, and the client reads slowly
        FilterChain slowDownload = (req, res) -> {
            res.getOutputStream();
            firstInside.countDown();
            await(releaseFirst);
        };
        serveInBackground(admission, get("/payments/1/receipt.pdf", "download"), slowDownload);
        await(firstInside);

        AtomicInteger served = new AtomicInteger();
        MockHttpServletResponse page = new MockHttpServletResponse();
        admission.doFilter(get("/", "page"), page, (req, res) -> {
            res.getWriter().write("home");
            served.incrementAndGet();
        });

        assertThat(served).hasValue(1);
        assertThat(page.getStatus()).isEqualTo(200);
        assertThat(page.getContentAsString()).isEqualTo("home");
        // given back once only: the one permit is free again, not two
        assertThat(admission.waiting()).isZero();
        releaseFirst.countDown();
        for (Thread t : started) {
            t.join(5_000);
        }
        assertThat(admission.available()).isEqualTo(1);
    }

    @Test
    void form_posts_api_calls_static_files_and_health_probes_do_not_queue() throws Exception {
        PageAdmission admission = new PageAdmission(new PageAdmissionProperties(1, 100, Duration.ofMillis(50)));
        serveInBackground(admission, get("/", "first"), holdingPage);
        await(firstInside);

        MockHttpServletRequest post = new MockHttpServletRequest("POST", "/topup");
        List<MockHttpServletRequest> others = List.of(post, get("/api/v1/usage", "api"),
                get("/tmf-api/usageManagement/v4/usage", "tmf"), get("/css/hall.css", "css"),
                get("/actuator/health/readiness", "probe"));
        AtomicInteger served = new AtomicInteger();
        for (MockHttpServletRequest other : others) {
            MockHttpServletResponse response = new MockHttpServletResponse();
            admission.doFilter(other, response, (req, res) -> served.incrementAndGet());
            assertThat(response.getStatus()).isEqualTo(200);
        }
        assertThat(served).hasValue(others.size());
    }

    @Test
    void no_permits_configured_means_two_per_core_and_zero_turns_the_queue_off() throws Exception {
        assertThat(new PageAdmissionProperties(null, 100, Duration.ofSeconds(1)).permitsOrDefault())
                .isEqualTo(2 * Runtime.getRuntime().availableProcessors());

        PageAdmission off = new PageAdmission(new PageAdmissionProperties(0, 0, Duration.ZERO));
        MockHttpServletResponse response = new MockHttpServletResponse();
        AtomicInteger served = new AtomicInteger();
        off.doFilter(get("/", "any"), response, (req, res) -> served.incrementAndGet());
        assertThat(served).hasValue(1);
    }

    private static MockHttpServletRequest get(String path, String who) {
        MockHttpServletRequest request = new MockHttpServletRequest("GET", path);
        request.setParameter("who", who);
        return request;
    }

    private void serveInBackground(PageAdmission admission, MockHttpServletRequest request, FilterChain chain) {
        Thread t = new Thread(() -> {
            try {
                admission.doFilter(request, new MockHttpServletResponse(), chain);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, "page-" + request.getParameter("who"));
        started.add(t);
        t.start();
    }

    private static void await(CountDownLatch latch) {
        try {
            assertThat(latch.await(10, TimeUnit.SECONDS)).isTrue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void awaitUntil(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("condition not reached in 10 s").isLessThan(deadline);
            Thread.sleep(1);
        }
    }
}
