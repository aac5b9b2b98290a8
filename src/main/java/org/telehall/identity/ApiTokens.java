package org.telehall.identity;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;
import org.springframework.security.oauth2.jose.jws.MacAlgorithm;
import org.springframework.security.oauth2.jwt.JwsHeader;
import org.springframework.security.oauth2.jwt.JwtClaimsSet;
import org.springframework.security.oauth2.jwt.JwtEncoderParameters;
import org.springframework.security.oauth2.jwt.NimbusJwtEncoder;
import org.springframework.stereotype.Service;
import org.telehall.platform.Secrets;

/**
 * Bearer tokens for the API: short-lived HS256 JWTs naming the user, role and customer, so any
 * app node can check them without a shared session store.
 */
@Service
public class ApiTokens {

    public static final Duration LIFETIME = Duration.ofMinutes(30);
    static final String ISSUER = "telehall";

    public record Token(String accessToken, long expiresInSeconds) {
    }

    private final NimbusJwtEncoder encoder;
    private final Clock clock;

    ApiTokens(Secrets secrets, Clock clock) {
        this.encoder = NimbusJwtEncoder.withSecretKey(key(secrets)).build();
        this.clock = clock;
    }

    static SecretKey key(Secrets secrets) {
        return new SecretKeySpec(secrets.tokenSecret().getBytes(StandardCharsets.UTF_8), "HmacSHA256");
    }

    public Token issue(HallUser user) {
        Instant now = clock.instant();
        JwtClaimsSet.Builder claims = JwtClaimsSet.builder()
                .issuer(ISSUER)
                .subject(Long.toString(user.userId()))
                .issuedAt(now)
                .expiresAt(now.plus(LIFETIME))
                .claim("username", user.username())
                .claim("role", user.role().name())
                .claim("name", user.displayName());
        if (user.customerId() != null) {
            claims.claim("customer_id", user.customerId());
        }
        String jwt = encoder.encode(JwtEncoderParameters.from(JwsHeader.with(MacAlgorithm.HS256).build(), claims.build()))
                .getTokenValue();
        return new Token(jwt, LIFETIME.toSeconds());
    }
}
