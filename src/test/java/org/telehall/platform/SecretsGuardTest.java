package org.telehall.platform;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SecretsGuardTest {

    private static final Secrets DEMO = new Secrets(Secrets.DEMO_TOKEN_SECRET, Secrets.DEMO_DATA_KEY, Secrets.DEMO_DATA_SALT);
    private static final Secrets OWN = new Secrets("an-operators-own-token-secret-of-40-chars!", "own-data-key-1234", "00112233445566778899aabb");

    @Test
    void the_demo_secrets_are_refused_outside_the_demo_profile() {
        assertThat(SecretsGuard.problems(DEMO, false)).singleElement().asString().contains("only allowed with the demo profile");
        assertThat(SecretsGuard.problems(DEMO, true)).isEmpty();
    }

    @Test
    void missing_or_short_secrets_are_refused_everywhere() {
        assertThat(SecretsGuard.problems(new Secrets(null, null, null), true)).hasSize(3);
        assertThat(SecretsGuard.problems(new Secrets("short", "short", "xyz"), false)).hasSize(3);
    }

    @Test
    void an_operators_own_secrets_are_accepted() {
        assertThat(SecretsGuard.problems(OWN, false)).isEmpty();
    }
}
