package org.telehall.platform;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/** Refuses to start outside the demo with missing, short or demo secrets. */
@Component
class SecretsGuard implements InitializingBean {

    private final Secrets secrets;
    private final Environment environment;

    SecretsGuard(Secrets secrets, Environment environment) {
        this.secrets = secrets;
        this.environment = environment;
    }

    @Override
    public void afterPropertiesSet() {
        List<String> problems = problems(secrets, Arrays.asList(environment.getActiveProfiles()).contains("demo"));
        if (!problems.isEmpty()) {
            throw new IllegalStateException("telehall refuses to start: " + String.join("; ", problems));
        }
    }

    static List<String> problems(Secrets secrets, boolean demo) {
        List<String> problems = new ArrayList<>();
        if (secrets.tokenSecret() == null || secrets.tokenSecret().length() < 32) {
            problems.add("TELEHALL_TOKEN_SECRET must be set to at least 32 characters");
        }
        if (secrets.dataKey() == null || secrets.dataKey().length() < 16) {
            problems.add("TELEHALL_DATA_KEY must be set to at least 16 characters");
        }
        if (secrets.dataSalt() == null || !secrets.dataSalt().matches("([0-9a-fA-F]{2}){8,}")) {
            problems.add("TELEHALL_DATA_SALT must be set to at least 16 hex digits");
        } else {
            HexFormat.of().parseHex(secrets.dataSalt());
        }
        if (!demo && (Secrets.DEMO_TOKEN_SECRET.equals(secrets.tokenSecret())
                || Secrets.DEMO_DATA_KEY.equals(secrets.dataKey())
                || Secrets.DEMO_DATA_SALT.equals(secrets.dataSalt()))) {
            problems.add("the demo secrets are only allowed with the demo profile; set your own TELEHALL_TOKEN_SECRET, TELEHALL_DATA_KEY and TELEHALL_DATA_SALT");
        }
        return problems;
    }
}
