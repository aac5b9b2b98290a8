package org.telehall.identity;

import java.util.List;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

/** A signed-in {@link HallUser}, the same for page sessions and API tokens. */
final class HallAuthentication extends AbstractAuthenticationToken {

    private final HallUser user;

    HallAuthentication(HallUser user) {
        super(List.of(new SimpleGrantedAuthority(user.role().authority())));
        this.user = user;
        setAuthenticated(true);
    }

    @Override
    public Object getCredentials() {
        return "";
    }

    @Override
    public HallUser getPrincipal() {
        return user;
    }

    @Override
    public String getName() {
        return user.username();
    }
}
