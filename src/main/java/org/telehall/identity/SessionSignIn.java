package org.telehall.identity;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.context.SecurityContextRepository;
import org.springframework.stereotype.Component;

/** Turns a completed sign-in into a page session: a fresh session id, the security context saved. */
@Component
public class SessionSignIn {

    private final SecurityContextRepository contexts;

    SessionSignIn(SecurityContextRepository contexts) {
        this.contexts = contexts;
    }

    public void signIn(HallUser user, HttpServletRequest request, HttpServletResponse response) {
        request.getSession(true);
        request.changeSessionId(); // no session fixation: the id seen before sign-in is dead after it
        SecurityContext context = SecurityContextHolder.createEmptyContext();
        context.setAuthentication(new HallAuthentication(user));
        SecurityContextHolder.setContext(context);
        contexts.saveContext(context, request, response);
        request.getSession().setAttribute(SecurityConfig.SESSION_STARTED, System.currentTimeMillis());
    }
}
