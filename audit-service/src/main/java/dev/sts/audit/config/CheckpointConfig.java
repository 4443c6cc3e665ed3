package dev.sts.audit.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Signed checkpoints of the hash chains ({@code sts.audit.checkpoint.*}; environment {@code STS_AUDIT_CHECKPOINT_*}; docs/adr/021). */
@ConfigMapping(prefix = "sts.audit.checkpoint")
public interface CheckpointConfig {
    /**
     * Base64 of 32 bytes: seals the checkpoint signing keys in the database (AES-256-GCM). Supply it
     * from a secret the database's owner cannot read; whoever holds it and the database can sign
     * checkpoints. Losing it makes the stored keys unusable (start-up refuses).
     */
    String keyEncryptionKey();

    /** A chain is checkpointed once its head is this many records past its latest checkpoint. */
    @WithDefault("1000")
    long everyRecords();

    /**
     * ... or once its head has moved and its latest checkpoint is this old: the longest time a
     * record can be stored without a signed checkpoint covering it.
     */
    @WithDefault("PT10S")
    Duration everyInterval();

    /** How often the chain heads are read to decide what is due (one index probe per chain). */
    @WithDefault("PT1S")
    Duration pollInterval();

    /** Cache lifetime of the checkpoint JWK set served over HTTP. */
    @WithDefault("PT5M")
    Duration jwksMaxAge();
}
