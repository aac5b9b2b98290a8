package org.telehall.identity;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Service;
import org.telehall.shared.Msisdn;

/**
 * Two-step sign-in: phone number + password, then the 6-digit code sent by SMS. Five wrong
 * passwords or codes in a row lock the login for 15 minutes. The same answer is given for an
 * unknown number and a wrong password, so the form cannot be used to find subscribers.
 */
@Service
public class SignIn {

    public static final int MAX_FAILURES = 5;
    public static final Duration LOCK = Duration.ofMinutes(15);
    public static final String PURPOSE = "login";

    /** Why a sign-in step was refused; each has a message key {@code login.refused.<name>}. */
    public enum Refusal { BAD_CREDENTIALS, LOCKED, WRONG_CODE, CODE_EXPIRED, NO_CODE }

    public static final class Refused extends RuntimeException {
        private final Refusal reason;
        private final Instant lockedUntil;

        Refused(Refusal reason, Instant lockedUntil) {
            super("sign-in refused: " + reason);
            this.reason = reason;
            this.lockedUntil = lockedUntil;
        }

        public Refusal reason() {
            return reason;
        }

        public Instant lockedUntil() {
            return lockedUntil;
        }
    }

    /** The first step passed: a code is on its way. */
    public record Challenge(long userId, String msisdn, Instant codeExpiresAt) {
    }

    private final Users users;
    private final PasswordEncoder passwords;
    private final OneTimeCodes codes;
    private final Audit audit;
    private final Clock clock;
    private final String dummyHash;

    SignIn(Users users, PasswordEncoder passwords, OneTimeCodes codes, Audit audit, Clock clock) {
        this.users = users;
        this.passwords = passwords;
        this.codes = codes;
        this.audit = audit;
        this.clock = clock;
        this.dummyHash = passwords.encode("not-a-real-password");
    }

    /** Step 1: checks the password and sends the code. */
    public Challenge checkPassword(String username, String password, Locale locale) {
        Instant now = clock.instant();
        UserAccount user = users.byUsername(username == null ? "" : username.trim()).orElse(null);
        if (user == null) {
            passwords.matches(password == null ? "" : password, dummyHash); // same work as a real check
            audit.record(String.valueOf(username), "LOGIN_UNKNOWN_USER", null, null);
            throw new Refused(Refusal.BAD_CREDENTIALS, null);
        }
        if (user.lockedAt(now)) {
            throw new Refused(Refusal.LOCKED, user.lockedUntil());
        }
        if (password == null || !passwords.matches(password, user.passwordHash())) {
            fail(user, "LOGIN_BAD_PASSWORD");
        }
        String msisdn = Msisdn.isValid(user.username()) ? user.username() : null;
        if (msisdn == null) {
            // staff accounts without a phone number sign in with the password alone
            return new Challenge(user.id(), null, null);
        }
        Instant expires = codes.send(user.id(), PURPOSE, msisdn, locale);
        audit.record(user.username(), "LOGIN_CODE_SENT", "user:" + user.id(), null);
        return new Challenge(user.id(), msisdn, expires);
    }

    /** Step 2: checks the code; on success the user is signed in. */
    public HallUser checkCode(long userId, String code) {
        UserAccount user = users.byId(userId).orElseThrow(() -> new Refused(Refusal.NO_CODE, null));
        if (user.lockedAt(clock.instant())) {
            throw new Refused(Refusal.LOCKED, user.lockedUntil());
        }
        switch (codes.verify(userId, PURPOSE, code)) {
            case ACCEPTED -> {
                users.clearFailures(userId);
                audit.record(user.username(), "LOGIN_OK", "user:" + userId, null);
                return user.toHallUser();
            }
            case EXPIRED -> throw new Refused(Refusal.CODE_EXPIRED, null);
            case NO_CODE -> throw new Refused(Refusal.NO_CODE, null);
            default -> {
                fail(user, "LOGIN_BAD_CODE");
                throw new IllegalStateException("unreachable");
            }
        }
    }

    /** Step 2 through the API, which knows the phone number rather than a pending session. */
    public HallUser checkCode(String username, String code) {
        UserAccount user = users.byUsername(username == null ? "" : username.trim())
                .orElseThrow(() -> new Refused(Refusal.NO_CODE, null));
        return checkCode(user.id(), code);
    }

    /** Staff without a phone number: the password step was the whole sign-in. */
    public HallUser completePasswordOnly(Challenge challenge) {
        if (challenge.msisdn() != null) {
            throw new IllegalStateException("this account signs in with an SMS code");
        }
        UserAccount user = users.byId(challenge.userId()).orElseThrow();
        users.clearFailures(user.id());
        audit.record(user.username(), "LOGIN_OK", "user:" + user.id(), "password only");
        return user.toHallUser();
    }

    public Instant resendCode(long userId, Locale locale) {
        UserAccount user = users.byId(userId).orElseThrow(() -> new Refused(Refusal.NO_CODE, null));
        if (user.lockedAt(clock.instant())) {
            throw new Refused(Refusal.LOCKED, user.lockedUntil());
        }
        return codes.send(userId, PURPOSE, user.username(), locale);
    }

    public java.util.Optional<Instant> extendCode(long userId) {
        return codes.extend(userId, PURPOSE);
    }

    private void fail(UserAccount user, String action) {
        Instant now = clock.instant();
        users.recordFailure(user.id(), MAX_FAILURES, now.plus(LOCK));
        audit.record(user.username(), action, "user:" + user.id(), null);
        UserAccount after = users.byId(user.id()).orElseThrow();
        if (after.lockedAt(now)) {
            audit.record(user.username(), "LOGIN_LOCKED", "user:" + user.id(), "until " + after.lockedUntil());
            throw new Refused(Refusal.LOCKED, after.lockedUntil());
        }
        throw new Refused(action.equals("LOGIN_BAD_CODE") ? Refusal.WRONG_CODE : Refusal.BAD_CREDENTIALS, null);
    }
}
