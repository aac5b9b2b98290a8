package org.telehall.hall;

import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.Locale;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.LocaleResolver;
import org.telehall.identity.Accounts;
import org.telehall.identity.HallUser;

/** Language and elderly mode: switched from any page, remembered for the user. */
@Controller
class SettingsController {

    private final Accounts accounts;
    private final LocaleResolver locales;

    SettingsController(Accounts accounts, LocaleResolver locales) {
        this.accounts = accounts;
        this.locales = locales;
    }

    @GetMapping("/settings")
    String settings() {
        return "hall/settings";
    }

    @GetMapping("/lang")
    String switchLanguage(@RequestParam String to, @RequestParam(defaultValue = "/") String back,
                          HttpServletRequest request, HttpServletResponse response) {
        Locale locale = HallLocaleResolver.supported(to);
        locales.setLocale(request, response, locale);
        HallUser user = HallModelAdvice.currentUser();
        if (user != null) {
            accounts.setLocale(user.userId(), locale);
        }
        return "redirect:" + localPath(back);
    }

    @PostMapping("/settings/elderly")
    String elderlyMode(@RequestParam boolean on, @RequestParam(defaultValue = "/") String back,
                       HttpServletRequest request, HttpServletResponse response) {
        HallUser user = HallModelAdvice.currentUser();
        if (user != null) {
            accounts.setElderlyMode(user.userId(), on);
            request.getSession().setAttribute(HallModelAdvice.ELDERLY_SESSION, on);
        }
        Cookie cookie = new Cookie(HallModelAdvice.ELDERLY_COOKIE, on ? "1" : "0");
        cookie.setPath("/");
        cookie.setMaxAge(365 * 24 * 3600);
        cookie.setHttpOnly(true);
        response.addCookie(cookie);
        return "redirect:" + localPath(back);
    }

    /** Only paths on this site: a {@code back} of "//evil.example" or "https://…" goes home instead. */
    static String localPath(String back) {
        if (back == null || !back.startsWith("/") || back.startsWith("//") || back.contains("\\") || back.contains("\r") || back.contains("\n")) {
            return "/";
        }
        return back;
    }
}
