package org.telehall.demo;

import org.springframework.boot.context.properties.ConfigurationProperties;

/** {@code telehall.demo.seed} makes the demo repeatable; {@code subscribers} adds generated ones. */
@ConfigurationProperties("telehall.demo")
record DemoProperties(long seed, int subscribers) {
}
