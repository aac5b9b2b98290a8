package org.telehall.identity;

import java.util.Locale;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Creating users and keeping their preferences (language, elderly mode). */
@Service
public class Accounts {

    /** What the hall remembers about how a user likes to see it. */
    public record Preferences(Locale locale, boolean elderlyMode) {
    }

    private final Users users;
    private final PasswordEncoder passwords;

    Accounts(Users users, PasswordEncoder passwords) {
        this.users = users;
        this.passwords = passwords;
    }

    @Transactional
    public long createSubscriber(long customerId, String msisdn, String rawPassword, String displayName) {
        return users.insert(msisdn, passwords.encode(rawPassword), Role.SUBSCRIBER, customerId, displayName);
    }

    @Transactional
    public long createStaff(String username, String rawPassword, Role role, String displayName) {
        if (role == Role.SUBSCRIBER) {
            throw new IllegalArgumentException("staff role expected, was " + role);
        }
        return users.insert(username, passwords.encode(rawPassword), role, null, displayName);
    }

    public boolean anyAdmin() {
        return users.anyWithRole(Role.ADMIN);
    }

    /** Encodes once, for generators that create many users with the same password. */
    public String encodePassword(String rawPassword) {
        return passwords.encode(rawPassword);
    }

    /** The subscriber login that speaks for a customer: whose phone receives their confirmation codes. */
    public record SubscriberLogin(long userId, String msisdn, Locale locale) {
    }

    public java.util.Optional<SubscriberLogin> subscriberLoginOf(long customerId) {
        return users.subscriberOf(customerId)
                .map(u -> new SubscriberLogin(u.id(), u.username(), Locale.forLanguageTag(u.locale())));
    }

    /** Who a user is, for showing who placed an order (an agent's login name at the counter). */
    public java.util.Optional<String> usernameOf(long userId) {
        return users.byId(userId).map(UserAccount::username);
    }

    public Preferences preferencesOf(long userId) {
        UserAccount user = users.byId(userId).orElseThrow();
        return new Preferences(Locale.forLanguageTag(user.locale()), user.elderlyMode());
    }

    @Transactional
    public void setElderlyMode(long userId, boolean on) {
        users.setElderlyMode(userId, on);
    }

    @Transactional
    public void setLocale(long userId, Locale locale) {
        users.setLocale(userId, locale.toLanguageTag());
    }
}
