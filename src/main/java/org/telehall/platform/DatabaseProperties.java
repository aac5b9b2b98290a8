package org.telehall.platform;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Where the data lives. With no {@code url} an embedded PostgreSQL 17 runs from {@code embeddedDir}
 * (kept between runs); {@code TELEHALL_DB_URL} / {@code _USER} / {@code _PASSWORD} point at an
 * external server instead.
 */
@ConfigurationProperties("telehall.db")
public record DatabaseProperties(String url, String user, String password, String embeddedDir,
                                 boolean embeddedClean, int poolSize) {

    public boolean external() {
        return url != null && !url.isBlank();
    }
}
