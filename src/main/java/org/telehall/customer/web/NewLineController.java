package org.telehall.customer.web;

import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Optional;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;
import org.telehall.catalog.Catalog;
import org.telehall.catalog.OfferingKind;
import org.telehall.customer.Customer;
import org.telehall.customer.NumberHold;
import org.telehall.customer.NumberPool;
import org.telehall.customer.PoolNumber;
import org.telehall.customer.RealName;
import org.telehall.identity.HallUser;
import org.telehall.shared.BusinessRuleException;
import org.telehall.shared.Msisdn;
import org.telehall.shared.NotFoundException;

/**
 * The number picker for a new line: search the pool by digits (htmx refreshes only the results),
 * hold one for 15 minutes, then fill in the real-name details and the plan, which the ordering
 * module's {@code POST /orders/new-line} turns into an order.
 */
@Controller
class NewLineController {

    /** Numbers shown at a time: a phone screen or two of big buttons. */
    static final int BATCH = 12;
    private static final DateTimeFormatter HH_MM = DateTimeFormatter.ofPattern("HH:mm").withZone(Customer.ZONE);

    /** A pool number as the picker shows it: "188 0188 8888", easy to read aloud. */
    record Choice(PoolNumber number, String spaced) {
        static Choice of(PoolNumber n) {
            String v = n.msisdn().value();
            return new Choice(n, v.substring(0, 3) + " " + v.substring(3, 7) + " " + v.substring(7));
        }
    }

    private final NumberPool pool;
    private final Catalog catalog;
    private final Clock clock;

    NewLineController(NumberPool pool, Catalog catalog, Clock clock) {
        this.pool = pool;
        this.catalog = catalog;
        this.clock = clock;
    }

    @GetMapping("/lines/new")
    String page(@AuthenticationPrincipal HallUser me, @RequestParam(defaultValue = "") String q,
                @RequestParam(defaultValue = "false") boolean lucky, @RequestParam(defaultValue = "0") int offset, Model model) {
        long customerId = me.requireCustomerId();
        Instant now = clock.instant();
        Optional<NumberHold> hold = pool.holdOf(customerId, now);
        hold.ifPresent(h -> {
            model.addAttribute("hold", h);
            model.addAttribute("held", Choice.of(pool.get(h.msisdn())));
            model.addAttribute("heldUntil", HH_MM.format(h.until()));
            long left = Math.max(0, java.time.Duration.between(now, h.until()).toSeconds());
            model.addAttribute("heldLeft", String.format("%d:%02d", left / 60, left % 60));
            model.addAttribute("plans", catalog.onSale().stream().filter(o -> o.kind() == OfferingKind.PLAN).toList());
        });
        model.addAttribute("maxLines", RealName.MAX_LINES_PER_PERSON);
        results(q, lucky, offset, model);
        return "customer/new-line";
    }

    /** Only the results, for htmx to swap in as the user types or ticks "lucky only". */
    @GetMapping("/lines/new/numbers")
    String numbers(@AuthenticationPrincipal HallUser me, @RequestParam(defaultValue = "") String q,
                   @RequestParam(defaultValue = "false") boolean lucky, @RequestParam(defaultValue = "0") int offset, Model model) {
        me.requireCustomerId();
        results(q, lucky, offset, model);
        return "customer/new-line :: numbers";
    }

    @PostMapping("/lines/new/hold")
    String hold(@AuthenticationPrincipal HallUser me, @RequestParam(defaultValue = "") String msisdn, RedirectAttributes redirect) {
        long customerId = me.requireCustomerId();
        if (!Msisdn.isValid(msisdn)) {
            redirect.addFlashAttribute("error", "newline.pick-a-number");
            return "redirect:/lines/new";
        }
        try {
            pool.hold(customerId, new Msisdn(msisdn), clock.instant());
        } catch (BusinessRuleException e) {
            redirect.addFlashAttribute("error", e.code());
        } catch (NotFoundException e) {
            redirect.addFlashAttribute("error", "number.taken");
        }
        return "redirect:/lines/new";
    }

    @PostMapping("/lines/new/release")
    String release(@AuthenticationPrincipal HallUser me, @RequestParam(defaultValue = "") String msisdn, RedirectAttributes redirect) {
        long customerId = me.requireCustomerId();
        if (Msisdn.isValid(msisdn)) {
            pool.release(customerId, new Msisdn(msisdn));
            redirect.addFlashAttribute("notice", "newline.released");
        }
        return "redirect:/lines/new";
    }

    private void results(String q, boolean lucky, int offset, Model model) {
        String digits = q.strip();
        model.addAttribute("q", digits);
        model.addAttribute("lucky", lucky);
        if (!digits.matches("\\d{0,11}")) {
            model.addAttribute("searchError", "newline.digits-only");
            model.addAttribute("numbers", List.of());
            return;
        }
        int from = Math.max(0, offset);
        List<PoolNumber> found = pool.search(digits, lucky, from, BATCH + 1);
        if (found.isEmpty() && from > 0) {
            // past the last batch: start again from the first
            from = 0;
            found = pool.search(digits, lucky, 0, BATCH + 1);
        }
        model.addAttribute("numbers", found.stream().limit(BATCH).map(Choice::of).toList());
        model.addAttribute("nextOffset", found.size() > BATCH ? from + BATCH : 0);
        model.addAttribute("canRefresh", found.size() > BATCH || from > 0);
    }
}
