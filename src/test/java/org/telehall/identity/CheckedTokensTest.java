package org.telehall.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.jose.jws.MacAlgorithm;
import org.springframework.security.oauth2.jwt.JwsHeader;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtClaimsSet;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtEncoderParameters;
import org.springframework.security.oauth2.jwt.JwtException;
import org.springframework.security.oauth2.jwt.JwtIssuerValidator;
import org.springframework.security.oauth2.jwt.JwtTimestampValidator;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.jwt.NimbusJwtEncoder;
import org.telehall.support.TestClock;

/** The API's token check remembers signatures, never validity: expiry is decided again on every use. */
class CheckedTokensTest {

    final SecretKeySpec key = new SecretKeySpec("a-test-secret-of-at-least-thirty-two-bytes".getBytes(StandardCharsets.UTF_8), "HmacSHA256");
    final SecretKeySpec otherKey = new SecretKeySpec("another-secret-of-at-least-thirty-two-bytes".getBytes(StandardCharsets.UTF_8), "HmacSHA256");
    final TestClock clock = new TestClock();
    final AtomicInteger fullChecks = new AtomicInteger();
    final CheckedTokens tokens = checkedTokens();

    @Test
    void a_token_is_parsed_and_its_signature_checked_once_then_its_expiry_on_every_use() {
        String token = token(key, Duration.ofMinutes(30));
        assertThat(tokens.decode(token).getSubject()).isEqualTo("42");
        assertThat(tokens.decode(token).getSubject()).isEqualTo("42");
        assertThat(fullChecks).as("the second use was answered from what the first checked").hasValue(1);

        clock.advance(Duration.ofMinutes(32));
        assertThatThrownBy(() -> tokens.decode(token)).isInstanceOf(JwtException.class).hasMessageContaining("expired");
        assertThat(tokens.remembered()).as("an expired token is forgotten").isZero();
        assertThatThrownBy(() -> tokens.decode(token)).isInstanceOf(JwtException.class);
    }

    @Test
    void a_token_signed_with_another_key_is_refused_every_time_and_never_remembered() {
        String forged = token(otherKey, Duration.ofMinutes(30));
        assertThatThrownBy(() -> tokens.decode(forged)).isInstanceOf(JwtException.class);
        assertThatThrownBy(() -> tokens.decode(forged)).isInstanceOf(JwtException.class);
        assertThat(fullChecks).hasValue(2);
        assertThat(tokens.remembered()).isZero();
    }

    private CheckedTokens checkedTokens() {
        NimbusJwtDecoder nimbus = NimbusJwtDecoder.withSecretKey(key).macAlgorithm(MacAlgorithm.HS256).build();
        JwtTimestampValidator timestamps = new JwtTimestampValidator();
        timestamps.setClock(clock);
        OAuth2TokenValidator<Jwt> validator = new DelegatingOAuth2TokenValidator<>(timestamps, new JwtIssuerValidator(ApiTokens.ISSUER));
        nimbus.setJwtValidator(validator);
        JwtDecoder counting = token -> {
            fullChecks.incrementAndGet();
            return nimbus.decode(token);
        };
        return new CheckedTokens(counting, validator, 100, Duration.ofMinutes(32));
    }

    private String token(SecretKeySpec signingKey, Duration lifetime) {
        Instant now = clock.instant();
        JwtClaimsSet claims = JwtClaimsSet.builder().issuer(ApiTokens.ISSUER).subject("42").issuedAt(now).expiresAt(now.plus(lifetime)).build();
        return NimbusJwtEncoder.withSecretKey(signingKey).build()
                .encode(JwtEncoderParameters.from(JwsHeader.with(MacAlgorithm.HS256).build(), claims)).getTokenValue();
    }
}
