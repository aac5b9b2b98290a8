package org.telehall.platform;

import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;

/**
 * A {@link SecureRandom} that hands each thread its own DRBG (seeded from the operating system).
 * The default Linux generator reads /dev/urandom under one global lock; with CSRF tokens masked
 * afresh on every page, fifty request threads queued on that lock and it showed as the home page's
 * p99 (bench/home-latency.sh, JFR monitor-enter events). Same strength, no shared lock.
 */
public final class PerThreadSecureRandom extends SecureRandom {

    private static final long serialVersionUID = 1L;

    private static final ThreadLocal<SecureRandom> LOCAL = ThreadLocal.withInitial(PerThreadSecureRandom::drbg);

    @Override
    public void nextBytes(byte[] bytes) {
        LOCAL.get().nextBytes(bytes);
    }

    @Override
    public byte[] generateSeed(int numBytes) {
        return LOCAL.get().generateSeed(numBytes);
    }

    @Override
    public String getAlgorithm() {
        return "per-thread " + LOCAL.get().getAlgorithm();
    }

    private static SecureRandom drbg() {
        try {
            return SecureRandom.getInstance("DRBG");
        } catch (NoSuchAlgorithmException e) {
            return new SecureRandom();
        }
    }
}
