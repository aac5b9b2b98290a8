package org.telehall.platform;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Where the data lives. With no {@code url} an embedded PostgreSQL 17 runs from {@code embeddedDir}
 * (kept between runs); {@code TELEHALL_DB_URL} / {@code _USER} / {@code _PASSWORD} point at an
 * external server instead. {@code embeddedSharedBuffers} (e.g. {@code 1GB}) sizes the embedded server's buffer
 * cache; unset, a quarter of the machine's memory within 128 MB and 2 GB.
 */
@ConfigurationProperties("telehall.db")
public record DatabaseProperties(String url, String user, String password, String embeddedDir,
                                 boolean embeddedClean, int poolSize, String embeddedSharedBuffers) {

    public boolean external() {
        return url != null && !url.isBlank();
    }
}
