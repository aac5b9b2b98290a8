package org.telehall.platform;

import java.text.MessageFormat;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import org.springframework.context.support.ResourceBundleMessageSource;

/**
 * The hall's message bundles, formatted without a shared lock. Spring caches one
 * {@link MessageFormat} per message and locale and formats under {@code synchronized} on it
 * (MessageFormat is not thread-safe), so every request thread rendering "used {0} of {1}" queued
 * on the same object: 260 s of monitor waits in 40 s of home-page load. Each thread here formats
 * with its own copy of the cached format instead.
 */
class PerThreadMessageSource extends ResourceBundleMessageSource {

    private final ThreadLocal<Map<String, Map<Locale, MessageFormat>>> copies = ThreadLocal.withInitial(HashMap::new);

    @Override
    protected MessageFormat resolveCode(String code, Locale locale) {
        MessageFormat shared = super.resolveCode(code, locale);
        if (shared == null) {
            return null;
        }
        return copies.get().computeIfAbsent(code, c -> new HashMap<>())
                .computeIfAbsent(locale, l -> (MessageFormat) shared.clone());
    }
}
