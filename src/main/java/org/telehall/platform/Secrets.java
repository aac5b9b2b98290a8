package org.telehall.platform;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Secrets the hall needs: the key that signs API tokens and the key that encrypts sensitive data at
 * rest (ID numbers). The demo profile ships known values; anywhere else they must be set.
 */
@ConfigurationProperties("telehall.secrets")
public record Secrets(String tokenSecret, String dataKey, String dataSalt) {

    /** The values the demo profile ships; a real deployment must never run with them. */
    static final String DEMO_TOKEN_SECRET = "demo-token-secret-not-for-production-use-0123456789";
    static final String DEMO_DATA_KEY = "demo-data-key-not-for-production";
    static final String DEMO_DATA_SALT = "5c0744940b5c369b";
}
