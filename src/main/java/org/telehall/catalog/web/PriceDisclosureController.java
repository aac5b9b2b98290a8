package org.telehall.catalog.web;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.telehall.catalog.Catalog;
import org.telehall.catalog.OfferingKind;

/**
 * 资费公示: the public price-disclosure page. It lists exactly what {@link Catalog#onSale()} returns,
 * which is also the only set of offerings that can be ordered.
 */
@Controller
class PriceDisclosureController {

    private final Catalog catalog;

    PriceDisclosureController(Catalog catalog) {
        this.catalog = catalog;
    }

    @GetMapping("/tariffs")
    String tariffs(Model model) {
        var onSale = catalog.onSale();
        model.addAttribute("plans", onSale.stream().filter(o -> o.kind() == OfferingKind.PLAN).toList());
        model.addAttribute("packs", onSale.stream().filter(o -> o.kind() == OfferingKind.PACK).toList());
        model.addAttribute("services", onSale.stream().filter(o -> o.kind() == OfferingKind.SERVICE).toList());
        return "catalog/tariffs";
    }
}
