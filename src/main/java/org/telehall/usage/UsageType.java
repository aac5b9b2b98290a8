package org.telehall.usage;

public enum UsageType {
    VOICE, SMS, DATA
}
