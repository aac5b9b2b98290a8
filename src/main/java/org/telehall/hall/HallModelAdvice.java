package org.telehall.hall;

import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.telehall.identity.Accounts;
import org.telehall.identity.HallUser;
import org.telehall.notify.Notifications;

/**
 * What every page's layout needs: whether elderly mode is on, who is signed in, the current path,
 * the subscriber's unread notification count.
 * Elderly mode is remembered per user (and in a cookie before sign-in, so the sign-in page is
 * large too).
 */
@ControllerAdvice(annotations = Controller.class)
class HallModelAdvice {

    static final String ELDERLY_SESSION = "telehall.elderly";
    static final String ELDERLY_COOKIE = "elderly";

    private final Accounts accounts;
    private final Notifications notifications;

    HallModelAdvice(Accounts accounts, Notifications notifications) {
        this.accounts = accounts;
        this.notifications = notifications;
    }

    /**
     * One model method for the four attributes: Spring builds a handler method per model method on
     * every request (annotation lookups, argument resolution), a measurable share of the home page's CPU.
     * A controller's own flash attribute of the same name wins, as it would over separate methods.
     */
    @ModelAttribute
    void layout(HttpServletRequest request, Model model) {
        HallUser user = currentUser();
        putIfAbsent(model, "elderly", elderly(user, request));
        putIfAbsent(model, "me", user);
        putIfAbsent(model, "unread", unread(user, request));
        putIfAbsent(model, "path", request.getRequestURI());
    }

    private boolean elderly(HallUser user, HttpServletRequest request) {
        HttpSession session = request.getSession(false);
        if (user != null && session != null) {
            Object cached = session.getAttribute(ELDERLY_SESSION);
            if (cached instanceof Boolean b) {
                return b;
            }
            boolean on = accounts.preferencesOf(user.userId()).elderlyMode();
            session.setAttribute(ELDERLY_SESSION, on);
            return on;
        }
        if (request.getCookies() != null) {
            for (Cookie c : request.getCookies()) {
                if (ELDERLY_COOKIE.equals(c.getName())) {
                    return "1".equals(c.getValue());
                }
            }
        }
        return false;
    }

    /** The bell's badge: one count on a partial index of unread rows, and only for pages (GET), not form posts. */
    private Long unread(HallUser user, HttpServletRequest request) {
        if (user == null || user.customerId() == null || !"GET".equals(request.getMethod())) {
            return null;
        }
        return notifications.unreadCount(user.customerId());
    }

    private static void putIfAbsent(Model model, String name, Object value) {
        if (!model.containsAttribute(name)) {
            model.addAttribute(name, value);
        }
    }

    static HallUser currentUser() {
        Authentication auth = SecurityContextHolder.getContext().getAuthentication();
        return auth != null && auth.getPrincipal() instanceof HallUser user ? user : null;
    }
}
