package org.telehall.payment.simulator;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import org.springframework.context.annotation.Profile;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseBody;
import org.telehall.payment.PaymentMethod;
import org.telehall.shared.Money;
import org.telehall.shared.NotFoundException;

/**
 * The simulated providers' own pages and the demo's controls over them (demo profile only): the
 * checkout page a customer is sent to, and {@code POST /sim/{provider}/orders/{id}/pay?notify=…}
 * which takes the money and sends the signed notification once, twice, late or never.
 */
@Controller
@Profile("demo")
class SimulatorController {

    private final Map<PaymentMethod, SimulatedProvider> providers = new java.util.EnumMap<>(PaymentMethod.class);

    SimulatorController(List<SimulatedProvider> providers) {
        providers.forEach(p -> this.providers.put(p.method(), p));
    }

    @GetMapping("/sim/{provider}/pay/{order}")
    String checkout(@PathVariable String provider, @PathVariable String order, @RequestParam(name = "return", defaultValue = "") String returnTo,
                    Model model) {
        SimulatedProvider p = provider(provider);
        SimulatedProvider.Trade trade = p.trade(outTradeNo(order)).orElseThrow(() -> new NotFoundException("no such trade " + order));
        model.addAttribute("provider", p.method());
        model.addAttribute("trade", trade);
        model.addAttribute("amount", Money.ofFen(trade.amountFen()));
        model.addAttribute("returnTo", safeReturn(returnTo));
        return "payment/sim-pay";
    }

    /** The buyer pays at the provider. From the checkout page the browser goes back to the hall; from a script, the trade as JSON. */
    @PostMapping("/sim/{provider}/orders/{order}/pay")
    Object pay(@PathVariable String provider, @PathVariable String order, @RequestParam(defaultValue = "once") String notify,
               @RequestParam(name = "return", defaultValue = "") String returnTo) {
        SimulatedProvider p = provider(provider);
        SimulatorNotifier.Mode mode = SimulatorNotifier.Mode.valueOf(notify.toUpperCase(Locale.ROOT));
        SimulatedProvider.Trade trade = p.payAndNotify(outTradeNo(order), mode).orElseThrow(() -> new NotFoundException("no such trade " + order));
        String back = safeReturn(returnTo);
        if (!back.isEmpty()) {
            return "redirect:" + back;
        }
        return ResponseEntity.ok(Map.of("outTradeNo", trade.outTradeNo(), "tradeNo", trade.tradeNo(), "status", trade.status(),
                "notify", mode.name().toLowerCase(Locale.ROOT)));
    }

    /** The notification a provider would send for the trade now, signed, without sending it (for scripts replaying it). */
    @GetMapping("/sim/{provider}/orders/{order}/notification")
    @ResponseBody
    Map<String, String> notification(@PathVariable String provider, @PathVariable String order) {
        SimulatedProvider p = provider(provider);
        return p.notification(p.trade(outTradeNo(order)).orElseThrow(() -> new NotFoundException("no such trade " + order)));
    }

    private SimulatedProvider provider(String slug) {
        SimulatedProvider p = providers.get(PaymentMethod.ofSlug(slug));
        if (p == null) {
            throw new NotFoundException("no simulated provider " + slug);
        }
        return p;
    }

    // compiled once: String.matches compiles its pattern on every call, and these run on every payment the simulator takes
    private static final Pattern PAYMENT_ID = Pattern.compile("\\d+");
    private static final Pattern PAYMENT_PAGE = Pattern.compile("/payments/\\d+");

    /** The hall's payment id or the provider's out_trade_no. */
    private static String outTradeNo(String order) {
        return PAYMENT_ID.matcher(order).matches() ? "TH" + order : order;
    }

    /** Only back into the hall's own payment pages: the return address is a parameter anyone can write. */
    private static String safeReturn(String returnTo) {
        return !returnTo.isEmpty() && PAYMENT_PAGE.matcher(returnTo).matches() ? returnTo : "";
    }
}
