package org.telehall.hall;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.LocaleResolver;

@Configuration(proxyBeanMethods = false)
class HallWebConfig {

    @Bean
    LocaleResolver localeResolver() {
        return new HallLocaleResolver();
    }
}
