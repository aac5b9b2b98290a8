package org.telehall.identity.web;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.io.Serializable;
import java.time.Instant;
import java.util.Locale;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.context.SecurityContextRepository;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;
import org.telehall.identity.HallUser;
import org.telehall.identity.SessionSignIn;
import org.telehall.identity.SignIn;
import org.telehall.shared.BusinessRuleException;
import org.telehall.shared.Msisdn;

/** The sign-in pages: phone number and password, then the SMS code. */
@Controller
class LoginController {

    static final String PENDING = "telehall.pendingLogin";

    /** Between the two steps the session knows who passed the password check, nothing more. */
    record PendingLogin(long userId, String maskedMsisdn, Instant codeExpiresAt) implements Serializable {
    }

    private final SignIn signIn;
    private final SessionSignIn sessions;

    LoginController(SignIn signIn, SessionSignIn sessions) {
        this.signIn = signIn;
        this.sessions = sessions;
    }

    @GetMapping("/login")
    String loginPage() {
        return "identity/login";
    }

    @PostMapping("/login")
    String checkPassword(@RequestParam(defaultValue = "") String msisdn, @RequestParam(defaultValue = "") String password,
                         Locale locale, HttpServletRequest request, HttpServletResponse response, Model model) {
        model.addAttribute("msisdn", msisdn);
        try {
            SignIn.Challenge challenge = signIn.checkPassword(msisdn, password, locale);
            if (challenge.msisdn() == null) {
                sessions.signIn(signIn.completePasswordOnly(challenge), request, response);
                return "redirect:/";
            }
            request.getSession().setAttribute(PENDING, new PendingLogin(challenge.userId(),
                    Msisdn.maskNumber(challenge.msisdn()), challenge.codeExpiresAt()));
            return "redirect:/login/code";
        } catch (SignIn.Refused refused) {
            return refusedPage(refused, "identity/login", model);
        } catch (BusinessRuleException rule) {
            model.addAttribute("error", rule.code());
            model.addAttribute("errorArgs", rule.args());
            return "identity/login";
        }
    }

    @GetMapping("/login/code")
    String codePage(HttpSession session, Model model) {
        PendingLogin pending = (PendingLogin) session.getAttribute(PENDING);
        if (pending == null) {
            return "redirect:/login";
        }
        model.addAttribute("pending", pending);
        return "identity/code";
    }

    @PostMapping("/login/code")
    String checkCode(@RequestParam(defaultValue = "") String code, HttpServletRequest request, HttpServletResponse response,
                     Model model) {
        PendingLogin pending = (PendingLogin) request.getSession().getAttribute(PENDING);
        if (pending == null) {
            return "redirect:/login";
        }
        try {
            HallUser user = signIn.checkCode(pending.userId(), code.trim());
            request.getSession().removeAttribute(PENDING);
            sessions.signIn(user, request, response);
            return "redirect:/";
        } catch (SignIn.Refused refused) {
            model.addAttribute("pending", pending);
            if (refused.reason() == SignIn.Refusal.LOCKED) {
                request.getSession().removeAttribute(PENDING);
                return refusedPage(refused, "identity/login", model);
            }
            return refusedPage(refused, "identity/code", model);
        }
    }

    @PostMapping("/login/code/extend")
    String extend(HttpSession session, RedirectAttributes redirect) {
        PendingLogin pending = (PendingLogin) session.getAttribute(PENDING);
        if (pending == null) {
            return "redirect:/login";
        }
        signIn.extendCode(pending.userId()).ifPresentOrElse(
                expires -> {
                    session.setAttribute(PENDING, new PendingLogin(pending.userId(), pending.maskedMsisdn(), expires));
                    redirect.addFlashAttribute("notice", "login.code.extended");
                },
                () -> redirect.addFlashAttribute("error", "login.refused.CODE_EXPIRED"));
        return "redirect:/login/code";
    }

    @PostMapping("/login/code/resend")
    String resend(HttpSession session, Locale locale, RedirectAttributes redirect) {
        PendingLogin pending = (PendingLogin) session.getAttribute(PENDING);
        if (pending == null) {
            return "redirect:/login";
        }
        try {
            Instant expires = signIn.resendCode(pending.userId(), locale);
            session.setAttribute(PENDING, new PendingLogin(pending.userId(), pending.maskedMsisdn(), expires));
            redirect.addFlashAttribute("notice", "login.code.resent");
        } catch (BusinessRuleException rule) {
            redirect.addFlashAttribute("error", rule.code());
            redirect.addFlashAttribute("errorArgs", rule.args());
        } catch (SignIn.Refused refused) {
            session.removeAttribute(PENDING);
            return "redirect:/login";
        }
        return "redirect:/login/code";
    }

    private static String refusedPage(SignIn.Refused refused, String view, Model model) {
        model.addAttribute("error", "login.refused." + refused.reason().name());
        if (refused.lockedUntil() != null) {
            model.addAttribute("lockedUntil", refused.lockedUntil());
        }
        return view;
    }
}
