package dev.accrue.core.telecom;

public enum CallDirection {
    INBOUND, OUTBOUND
}
