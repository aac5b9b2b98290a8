package org.telehall.notify.web;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.telehall.identity.HallUser;
import org.telehall.notify.Notification;
import org.telehall.notify.Notifications;
import org.telehall.platform.Tmf;
import org.telehall.platform.TmfList;
import org.telehall.shared.NotFoundException;

/**
 * TMF681 Communication Management: the signed-in customer's notification centre as communication
 * messages, newest first, in the caller's language ({@code Accept-Language}). {@code state} is
 * {@code completed} once the SMS went out (or when there is none), {@code initial} while it waits for
 * the end of quiet hours; whether the customer has read it is the {@code read} characteristic.
 */
@RestController
@RequestMapping(CommunicationMessageApiController.BASE)
@Tag(name = "communicationMessage", description = "TMF681 Communication: the customer's reminders and notices")
class CommunicationMessageApiController {

    static final String BASE = "/tmf-api/communicationManagement/v4/communicationMessage";

    record Receiver(String id, String phoneNumber, String name, @JsonProperty("@type") String type) {
    }

    record Sender(String id, String name, @JsonProperty("@type") String type) {
    }

    record MessageView(String id, String href, String messageType, String subject, String content, String state,
                       Instant sendTime, Instant sendTimeComplete, List<Receiver> receiver, Sender sender,
                       List<Tmf.Characteristic> characteristic, @JsonProperty("@type") String type) {
    }

    private final Notifications notifications;

    CommunicationMessageApiController(Notifications notifications) {
        this.notifications = notifications;
    }

    @GetMapping
    @Operation(summary = "The customer's messages (reminders and notices), newest first; offset/limit paging, X-Total-Count")
    ResponseEntity<List<MessageView>> list(@AuthenticationPrincipal HallUser me, @RequestParam(required = false) Integer offset,
                                           @RequestParam(required = false) Integer limit, Locale locale) {
        TmfList.Window window = TmfList.window(offset, limit);
        long customerId = me.requireCustomerId();
        List<MessageView> page = new ArrayList<>();
        for (Notification n : notifications.of(customerId, window.offset(), window.limit())) {
            page.add(view(n, locale));
        }
        return TmfList.of(page, notifications.countOf(customerId));
    }

    @GetMapping("/{id}")
    @Operation(summary = "One of the customer's messages; another customer's id is 404")
    MessageView one(@AuthenticationPrincipal HallUser me, @PathVariable String id, Locale locale) {
        long messageId;
        try {
            messageId = Long.parseLong(id);
        } catch (NumberFormatException e) {
            throw new NotFoundException("no communication message " + id);
        }
        return notifications.find(me.requireCustomerId(), messageId).map(n -> view(n, locale))
                .orElseThrow(() -> new NotFoundException("no communication message " + id));
    }

    private MessageView view(Notification n, Locale locale) {
        boolean sms = n.smsDueAt() != null;
        String state = sms && n.smsSentAt() == null ? "initial" : "completed";
        List<Receiver> receiver = List.of(new Receiver(Long.toString(n.customerId()), n.msisdn(), null, "Receiver"));
        List<Tmf.Characteristic> characteristic = List.of(Tmf.Characteristic.of("read", !n.unread()),
                Tmf.Characteristic.of("reminderKind", Tmf.enumValue(n.kind())),
                Tmf.Characteristic.of("template", n.template()));
        return new MessageView(Long.toString(n.id()), Tmf.href(BASE + "/" + n.id()), sms ? "SMS" : "appNotification",
                notifications.subject(n, locale), notifications.text(n, locale), state,
                sms ? n.smsDueAt() : n.createdAt(), sms ? n.smsSentAt() : n.createdAt(), receiver,
                new Sender("telehall", "en".equals(locale.getLanguage()) ? "Online Hall" : "网上营业厅", "Sender"),
                characteristic, "CommunicationMessage");
    }
}
