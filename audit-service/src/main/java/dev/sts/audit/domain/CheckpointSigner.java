package dev.sts.audit.domain;

import java.time.Instant;

/** Signs chain heads with audit-service's checkpoint key (port; the signing package implements it). */
public interface CheckpointSigner {
    Checkpoint sign(ChainHead head, Instant at);
}
