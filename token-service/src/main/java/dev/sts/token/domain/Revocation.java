package dev.sts.token.domain;

import dev.sts.kit.revocation.RevocationRules;
import java.time.Instant;

/**
 * One revocation: which sessions ({@code kind} and {@code value}; sessions issued before
 * {@code cutOff}), when it took effect and when it can be forgotten.
 *
 * @param value the session id, role ARN or source identity; {@code null} for issued-before
 * @param cutOff sessions issued before it are covered ({@code revokedAt}, or the requested issued-before)
 * @param expiresAt {@code cutOff} plus the longest session lifetime and the verifiers' clock leeway:
 *     no session the revocation covers can still be accepted then
 * @param reason the caller's words, or {@code null}
 */
public record Revocation(String id, RevocationRules.Kind kind, String value, Instant cutOff, Instant revokedAt,
        Instant expiresAt, String reason) {
}
