package org.telehall.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** Messages with arguments, formatted by many threads at once without one shared lock, each get their own figures. */
class StripedMessageSourceTest {

    @Test
    void concurrent_threads_formatting_one_message_each_get_their_own_arguments() throws Exception {
        StripedMessageSource messages = new StripedMessageSource();
        messages.setBasenames("messages");
        messages.setDefaultEncoding("UTF-8");
        messages.setFallbackToSystemLocale(false);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<List<String>>> results = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                int thread = t;
                results.add(pool.submit(() -> {
                    List<String> wrong = new ArrayList<>();
                    for (int i = 0; i < 20_000; i++) {
                        String used = thread + "-" + i;
                        String got = messages.getMessage("home.used-of", new Object[] {used, "T" + thread}, Locale.SIMPLIFIED_CHINESE);
                        if (!got.equals("已用 " + used + " / 共 T" + thread)) {
                            wrong.add(got);
                        }
                    }
                    return wrong;
                }));
            }
            for (Future<List<String>> result : results) {
                assertThat(result.get()).isEmpty();
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(messages.getMessage("home.used-of", new Object[] {"1 GB", "30 GB"}, Locale.ENGLISH)).isEqualTo("Used 1 GB of 30 GB");
    }

    @Test
    void a_thread_keeps_its_copy_and_a_request_per_thread_does_not_clone_the_message_again() throws Exception {
        StripedMessageSource messages = new StripedMessageSource();
        messages.setBasenames("messages");
        messages.setDefaultEncoding("UTF-8");
        java.text.MessageFormat mine = messages.resolveCode("home.used-of", Locale.ENGLISH);
        assertThat(messages.resolveCode("home.used-of", Locale.ENGLISH)).isSameAs(mine);
        // one thread per request, as with virtual threads: the copies stay a fixed few however many threads ask
        java.util.Set<java.text.MessageFormat> seen = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        for (int i = 0; i < 200; i++) {
            java.text.MessageFormat[] theirs = new java.text.MessageFormat[1];
            Thread request = new Thread(() -> theirs[0] = messages.resolveCode("home.used-of", Locale.ENGLISH));
            request.start();
            request.join();
            seen.add(theirs[0]);
        }
        assertThat(seen).hasSizeGreaterThan(1).hasSizeLessThanOrEqualTo(StripedMessageSource.STRIPES);
        assertThat(messages.resolveCode("no.such.code", Locale.ENGLISH)).isNull();
    }
}
