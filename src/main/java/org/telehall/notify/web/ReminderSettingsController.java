package org.telehall.notify.web;

import java.time.LocalTime;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.telehall.identity.HallUser;
import org.telehall.notify.ReminderKind;
import org.telehall.notify.ReminderSettings;
import org.telehall.shared.Money;

/** Reminder settings (提醒设置): which reminders, the data and low-balance thresholds, quiet hours. */
@Controller
class ReminderSettingsController {

    static final List<ReminderKind> OPTIONAL = Arrays.stream(ReminderKind.values()).filter(ReminderKind::optional).toList();

    private final ReminderSettings settings;

    ReminderSettingsController(ReminderSettings settings) {
        this.settings = settings;
    }

    /** The form as shown (and as sent back when it has a mistake). */
    record Form(Set<ReminderKind> on, String threshold, String lowBalance, String quietFrom, String quietTo) {

        static Form of(ReminderSettings.Settings s) {
            Set<ReminderKind> on = EnumSet.noneOf(ReminderKind.class);
            OPTIONAL.stream().filter(s::on).forEach(on::add);
            if (s.lowBalance() == null) {
                on.remove(ReminderKind.LOW_BALANCE);
            }
            return new Form(on, Integer.toString(s.dataThresholdPct()),
                    s.lowBalance() == null ? "" : s.lowBalance().yuan().toPlainString(), s.quietFrom().toString(), s.quietTo().toString());
        }

        public boolean isOn(ReminderKind kind) {
            return on.contains(kind);
        }
    }

    @GetMapping("/settings/reminders")
    String show(@AuthenticationPrincipal HallUser me, @RequestParam(required = false) String saved, Model model) {
        model.addAttribute("form", Form.of(settings.of(me.requireCustomerId())));
        model.addAttribute("kinds", OPTIONAL);
        model.addAttribute("saved", saved != null);
        model.addAttribute("min", ReminderSettings.Settings.MIN_THRESHOLD);
        model.addAttribute("max", ReminderSettings.Settings.MAX_THRESHOLD);
        return "notify/reminder-settings";
    }

    @PostMapping("/settings/reminders")
    String save(@AuthenticationPrincipal HallUser me, @RequestParam(name = "on", required = false) List<String> on,
                @RequestParam(defaultValue = "") String threshold, @RequestParam(defaultValue = "") String lowBalance,
                @RequestParam(defaultValue = "") String quietFrom, @RequestParam(defaultValue = "") String quietTo, Model model) {
        long customerId = me.requireCustomerId();
        Set<ReminderKind> chosen = EnumSet.noneOf(ReminderKind.class);
        if (on != null) {
            for (String k : on) {
                OPTIONAL.stream().filter(kind -> kind.name().equals(k)).forEach(chosen::add);
            }
        }
        Form form = new Form(chosen, threshold.trim(), lowBalance.trim(), quietFrom.trim(), quietTo.trim());
        String error = null;
        int pct = 0;
        Money low = null;
        LocalTime from = null;
        LocalTime to = null;
        try {
            pct = Integer.parseInt(form.threshold());
        } catch (NumberFormatException e) {
            error = "notify.settings.error.threshold";
        }
        if (error == null && (pct < ReminderSettings.Settings.MIN_THRESHOLD || pct > ReminderSettings.Settings.MAX_THRESHOLD)) {
            error = "notify.settings.error.threshold";
        }
        if (error == null && !form.lowBalance().isEmpty()) {
            try {
                low = Money.parseYuan(form.lowBalance());
                if (low.isNegative() || low.fen() > 100_000_00) {
                    error = "notify.settings.error.low-balance";
                }
            } catch (IllegalArgumentException e) {
                error = "notify.settings.error.low-balance";
            }
        }
        if (error == null && chosen.contains(ReminderKind.LOW_BALANCE) && low == null) {
            error = "notify.settings.error.low-balance-missing";
        }
        if (error == null) {
            try {
                from = LocalTime.parse(form.quietFrom());
                to = LocalTime.parse(form.quietTo());
            } catch (DateTimeParseException e) {
                error = "notify.settings.error.quiet";
            }
        }
        if (error != null) {
            model.addAttribute("form", form);
            model.addAttribute("kinds", OPTIONAL);
            model.addAttribute("saved", false);
            model.addAttribute("error", error);
            model.addAttribute("min", ReminderSettings.Settings.MIN_THRESHOLD);
            model.addAttribute("max", ReminderSettings.Settings.MAX_THRESHOLD);
            return "notify/reminder-settings";
        }
        Set<ReminderKind> off = EnumSet.noneOf(ReminderKind.class);
        OPTIONAL.stream().filter(k -> !chosen.contains(k)).forEach(off::add);
        settings.save(customerId, new ReminderSettings.Settings(pct, low, from.withSecond(0).withNano(0), to.withSecond(0).withNano(0), off));
        return "redirect:/settings/reminders?saved";
    }
}
