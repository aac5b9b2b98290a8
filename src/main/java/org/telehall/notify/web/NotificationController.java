package org.telehall.notify.web;

import java.util.Locale;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.telehall.identity.HallUser;
import org.telehall.notify.Notification;
import org.telehall.notify.Notifications;

/** The notification centre (消息中心): the customer's reminders, newest first, marked read one by one or all at once. */
@Controller
class NotificationController {

    static final int PAGE_SIZE = 20;

    private final Notifications notifications;

    NotificationController(Notifications notifications) {
        this.notifications = notifications;
    }

    /** What a page shows of one entry, in the reader's language. */
    record Entry(Notification n, String subject, String text) {
    }

    @GetMapping("/notifications")
    String list(@AuthenticationPrincipal HallUser me, @RequestParam(defaultValue = "0") int page, Locale locale, Model model) {
        long customerId = me.requireCustomerId();
        int safePage = Math.max(0, page);
        long total = notifications.countOf(customerId);
        model.addAttribute("entries", notifications.of(customerId, safePage * PAGE_SIZE, PAGE_SIZE).stream()
                .map(n -> new Entry(n, notifications.subject(n, locale), notifications.text(n, locale))).toList());
        model.addAttribute("page", safePage);
        model.addAttribute("hasNext", (long) (safePage + 1) * PAGE_SIZE < total);
        return "notify/notifications";
    }

    @PostMapping("/notifications/{id}/read")
    String read(@AuthenticationPrincipal HallUser me, @PathVariable long id, @RequestParam(defaultValue = "0") int page) {
        notifications.markRead(me.requireCustomerId(), id);
        return "redirect:/notifications?page=" + Math.max(0, page) + "#n" + id;
    }

    @PostMapping("/notifications/read-all")
    String readAll(@AuthenticationPrincipal HallUser me) {
        notifications.markAllRead(me.requireCustomerId());
        return "redirect:/notifications";
    }
}
