package org.telehall.platform;

import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;

/**
 * A {@link SecureRandom} spread over a few DRBGs (seeded from the operating system), picked by the
 * calling thread's id. The default Linux generator reads /dev/urandom under one global lock; with
 * CSRF tokens masked afresh on every page, fifty request threads queued on that lock and it showed as
 * the home page's p99 (bench/home-latency.sh, JFR monitor-enter events). One generator per thread
 * would avoid the lock too, but with virtual threads (one per request) that meant seeding a new DRBG
 * for every page. A DRBG is thread-safe; a few of them keep the threads from queueing on one.
 */
public final class StripedSecureRandom extends SecureRandom {

    private static final long serialVersionUID = 1L;

    private static final int STRIPES = 4 * Runtime.getRuntime().availableProcessors();

    private final transient SecureRandom[] stripes = new SecureRandom[STRIPES];

    public StripedSecureRandom() {
        for (int i = 0; i < STRIPES; i++) {
            stripes[i] = drbg();
        }
    }

    @Override
    public void nextBytes(byte[] bytes) {
        mine().nextBytes(bytes);
    }

    @Override
    public byte[] generateSeed(int numBytes) {
        return mine().generateSeed(numBytes);
    }

    @Override
    public String getAlgorithm() {
        return "striped " + stripes[0].getAlgorithm();
    }

    private SecureRandom mine() {
        return stripes[(int) (Thread.currentThread().getId() % STRIPES)];
    }

    private static SecureRandom drbg() {
        try {
            return SecureRandom.getInstance("DRBG");
        } catch (NoSuchAlgorithmException e) {
            return new SecureRandom();
        }
    }
}
