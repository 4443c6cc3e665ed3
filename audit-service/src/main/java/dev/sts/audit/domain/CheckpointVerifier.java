package dev.sts.audit.domain;

import java.util.Optional;

/** Checks a stored checkpoint against the trusted checkpoint keys (port; the signing package implements it). */
public interface CheckpointVerifier {
    /**
     * Why the checkpoint cannot be trusted (its signature does not verify with a trusted key, or
     * its stored fields differ from its signed payload), or empty when it can.
     */
    Optional<String> refusal(Checkpoint checkpoint);
}
