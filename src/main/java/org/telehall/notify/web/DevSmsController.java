package org.telehall.notify.web;

import java.util.List;
import org.springframework.context.annotation.Profile;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseBody;
import org.telehall.notify.Sms;
import org.telehall.notify.SmsMessage;

/**
 * The demo's SMS outbox: what would have reached the phone. Exists only under the demo profile,
 * so a production hall has no such page.
 */
@Controller
@Profile("demo")
class DevSmsController {

    private final Sms sms;

    DevSmsController(Sms sms) {
        this.sms = sms;
    }

    @GetMapping("/dev/sms")
    String outbox(Model model) {
        model.addAttribute("messages", sms.latest(100));
        return "notify/dev-sms";
    }

    @GetMapping(value = "/dev/sms", params = "msisdn", produces = MediaType.APPLICATION_JSON_VALUE)
    @ResponseBody
    List<SmsMessage> sentTo(@RequestParam String msisdn) {
        return sms.sentTo(msisdn, 50);
    }
}
