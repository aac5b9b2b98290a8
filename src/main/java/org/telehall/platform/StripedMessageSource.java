package org.telehall.platform;

import java.text.MessageFormat;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.springframework.context.support.ResourceBundleMessageSource;

/**
 * The hall's message bundles, formatted without one shared lock per message. Spring caches one
 * {@link MessageFormat} per message and locale and formats under {@code synchronized} on it
 * (MessageFormat is not thread-safe), so every request thread rendering "used {0} of {1}" queued
 * on the same object: 260 s of monitor waits in 40 s of home-page load. Each message here has a few
 * copies, and a thread formats with the one its id picks (Spring still locks that copy). Copies per
 * thread would also avoid the queue, but with virtual threads (one per request) that meant cloning
 * every message a page shows on every request.
 */
class StripedMessageSource extends ResourceBundleMessageSource {

    static final int STRIPES = 4 * Runtime.getRuntime().availableProcessors();

    /** Keyed by Spring's cached format: the same instance for a message until its bundle is reloaded. */
    private final ConcurrentMap<MessageFormat, MessageFormat[]> copies = new ConcurrentHashMap<>();

    @Override
    protected MessageFormat resolveCode(String code, Locale locale) {
        MessageFormat shared = super.resolveCode(code, locale);
        if (shared == null) {
            return null;
        }
        MessageFormat[] stripes = copies.computeIfAbsent(shared, StripedMessageSource::copiesOf);
        return stripes[(int) (Thread.currentThread().getId() % STRIPES)];
    }

    private static MessageFormat[] copiesOf(MessageFormat shared) {
        MessageFormat[] stripes = new MessageFormat[STRIPES];
        for (int i = 0; i < STRIPES; i++) {
            stripes[i] = (MessageFormat) shared.clone();
        }
        return stripes;
    }
}
