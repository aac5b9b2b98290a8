package org.telehall.hall;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;

/**
 * Quick-action destinations whose capabilities land in later issues: the links exist now so the
 * home page is complete, and each says plainly that it is coming.
 */
@Controller
class ComingSoonController {

    @GetMapping({"/{feature:service|family-numbers}"})
    String comingSoon(@PathVariable String feature, Model model) {
        model.addAttribute("feature", feature);
        return "hall/coming-soon";
    }
}
