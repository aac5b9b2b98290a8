package org.telehall.hall;

import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Controller;
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

    @ModelAttribute("elderly")
    boolean elderly(HttpServletRequest request) {
        HallUser user = currentUser();
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

    @ModelAttribute("me")
    HallUser me() {
        return currentUser();
    }

    /** The bell's badge: one count on a partial index of unread rows, and only for pages (GET), not form posts. */
    @ModelAttribute("unread")
    Long unread(HttpServletRequest request) {
        HallUser user = currentUser();
        if (user == null || user.customerId() == null || !"GET".equals(request.getMethod())) {
            return null;
        }
        return notifications.unreadCount(user.customerId());
    }

    @ModelAttribute("path")
    String path(HttpServletRequest request) {
        return request.getRequestURI();
    }

    static HallUser currentUser() {
        Authentication auth = SecurityContextHolder.getContext().getAuthentication();
        return auth != null && auth.getPrincipal() instanceof HallUser user ? user : null;
    }
}
