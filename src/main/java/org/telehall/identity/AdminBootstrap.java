package org.telehall.identity;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.context.annotation.Profile;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/**
 * Outside the demo the hall starts empty: the operator's first admin comes from
 * {@code TELEHALL_ADMIN_USERNAME} / {@code TELEHALL_ADMIN_PASSWORD}, and without them it will not start.
 */
@Component
@Profile("!demo")
@Order(0)
class AdminBootstrap implements ApplicationRunner {

    private static final Logger log = LoggerFactory.getLogger(AdminBootstrap.class);

    private final Accounts accounts;
    private final String username;
    private final String password;

    AdminBootstrap(Accounts accounts, @Value("${telehall.admin.username:}") String username,
                   @Value("${telehall.admin.password:}") String password) {
        this.accounts = accounts;
        this.username = username;
        this.password = password;
    }

    @Override
    public void run(ApplicationArguments args) {
        if (accounts.anyAdmin()) {
            return;
        }
        if (username.isBlank() || password.length() < 12) {
            throw new IllegalStateException("telehall refuses to start: no admin exists; set TELEHALL_ADMIN_USERNAME "
                    + "and TELEHALL_ADMIN_PASSWORD (at least 12 characters) for the first start");
        }
        accounts.createStaff(username, password, Role.ADMIN, "Administrator");
        log.info("Created the operator admin '{}'", username);
    }
}
