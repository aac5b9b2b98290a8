package org.telehall.identity;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Duration;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtException;
import org.springframework.security.oauth2.jwt.JwtValidationException;

/**
 * Decodes API tokens and remembers the ones whose signature checked out, so a client sending the same token with
 * every request (as an app does for the token's 30 minutes) pays for parsing and the signature check once, not on
 * every call. What is remembered cannot change: these exact bytes were signed with this node's key. What can change
 * is checked on every use: the validator (expiry on the hall's clock, issuer) runs again on the remembered token, and
 * a token that fails it is forgotten. A token that failed decoding is never remembered.
 */
final class CheckedTokens implements JwtDecoder {

    private final JwtDecoder decoder;
    private final OAuth2TokenValidator<Jwt> validator;
    private final Cache<String, Jwt> signed;

    /**
     * @param decoder   the full check: parse, signature, validator
     * @param validator the same validator the decoder applies, run again on each use of a remembered token
     * @param size      how many tokens to remember at most (the least used are forgotten first)
     * @param lifetime  how long a token can be valid at most; none is remembered longer
     */
    CheckedTokens(JwtDecoder decoder, OAuth2TokenValidator<Jwt> validator, long size, Duration lifetime) {
        this.decoder = decoder;
        this.validator = validator;
        this.signed = Caffeine.newBuilder().maximumSize(size).expireAfterWrite(lifetime).build();
    }

    @Override
    public Jwt decode(String token) throws JwtException {
        Jwt known = signed.getIfPresent(token);
        if (known == null) {
            Jwt jwt = decoder.decode(token);
            signed.put(token, jwt);
            return jwt;
        }
        OAuth2TokenValidatorResult result = validator.validate(known);
        if (result.hasErrors()) {
            signed.invalidate(token);
            // worded as the decoder words a token that fails its validator
            String reason = result.getErrors().stream().map(e -> e.getDescription()).filter(d -> d != null && !d.isEmpty())
                    .findFirst().orElse("Unable to validate Jwt");
            throw new JwtValidationException("An error occurred while attempting to decode the Jwt: " + reason, result.getErrors());
        }
        return known;
    }

    long remembered() {
        signed.cleanUp();
        return signed.estimatedSize();
    }
}
