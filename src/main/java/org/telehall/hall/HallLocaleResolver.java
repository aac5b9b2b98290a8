package org.telehall.hall;

import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.Locale;
import org.springframework.web.servlet.LocaleResolver;
import org.telehall.platform.ApiPaths;

/**
 * The page language: the {@code lang} cookie the switch sets, else Simplified Chinese. API callers
 * (no cookie) choose with {@code Accept-Language}. Only the two languages the hall is written in are
 * ever chosen.
 */
class HallLocaleResolver implements LocaleResolver {

    static final String COOKIE = "lang";
    static final Locale CHINESE = Locale.SIMPLIFIED_CHINESE;

    @Override
    public Locale resolveLocale(HttpServletRequest request) {
        Object chosen = request.getAttribute(COOKIE);
        if (chosen instanceof Locale locale) {
            return locale;
        }
        if (request.getCookies() != null) {
            for (Cookie c : request.getCookies()) {
                if (COOKIE.equals(c.getName())) {
                    return supported(c.getValue());
                }
            }
        }
        String path = request.getRequestURI();
        if (ApiPaths.isApi(path)) {
            return supported(request.getHeader("Accept-Language"));
        }
        return CHINESE;
    }

    @Override
    public void setLocale(HttpServletRequest request, HttpServletResponse response, Locale locale) {
        Locale chosen = supported(locale == null ? null : locale.toLanguageTag());
        request.setAttribute(COOKIE, chosen);
        Cookie cookie = new Cookie(COOKIE, chosen.toLanguageTag());
        cookie.setPath("/");
        cookie.setMaxAge(365 * 24 * 3600);
        cookie.setHttpOnly(true);
        cookie.setAttribute("SameSite", "Lax");
        response.addCookie(cookie);
    }

    static Locale supported(String tag) {
        return tag != null && tag.toLowerCase(Locale.ROOT).startsWith("en") ? Locale.ENGLISH : CHINESE;
    }
}
