package dev.sts.role.domain;

import java.time.Instant;

/** One version of a managed policy: "v" followed by {@code number}. */
public record PolicyVersion(int number, String document, Instant createdAt) {

    public String versionId() {
        return id(number);
    }

    public static String id(int number) {
        return "v" + number;
    }
}
