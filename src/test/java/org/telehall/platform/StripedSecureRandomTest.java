package org.telehall.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HexFormat;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/** CSRF masks drawn by many request threads at once: all random, none repeated, from DRBGs. */
class StripedSecureRandomTest {

    @Test
    void threads_drawing_at_once_never_get_the_same_bytes() throws Exception {
        StripedSecureRandom random = new StripedSecureRandom();
        Set<String> draws = ConcurrentHashMap.newKeySet();
        Thread[] threads = new Thread[64];
        for (int t = 0; t < threads.length; t++) {
            threads[t] = new Thread(() -> {
                for (int i = 0; i < 500; i++) {
                    byte[] mask = new byte[32];
                    random.nextBytes(mask);
                    draws.add(HexFormat.of().formatHex(mask));
                }
            });
            threads[t].start();
        }
        for (Thread thread : threads) {
            thread.join();
        }
        assertThat(draws).hasSize(64 * 500);
        assertThat(random.getAlgorithm()).contains("DRBG");
    }
}
