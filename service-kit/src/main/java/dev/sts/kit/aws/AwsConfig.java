package dev.sts.kit.aws;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.Optional;

/** The AWS wire protocols ({@code sts.aws.*}; environment {@code STS_AWS_*}; docs/adr/023). */
@ConfigMapping(prefix = "sts.aws")
public interface AwsConfig {
    /**
     * The key ring secret access keys are derived from: a file of {@code <key id> <base64 key>} lines,
     * the first being the key new session credentials use (a Kubernetes Secret mounted identically
     * into the three services). Without it no SigV4 request is accepted and token-service issues
     * secrets that verify nowhere.
     */
    Optional<String> keyRingFile();

    /**
     * The bootstrap principals' long-term access keys: a file of {@code <AKIA key id> <ring key id>
     * <principal>} lines. Holds no secret.
     */
    Optional<String> accessKeysFile();

    /**
     * The largest body of an AWS protocol request, in bytes, refused before it is read further. An
     * IAM CreatePolicy with a 6,144-character document, URL-encoded, is far below it.
     */
    @WithDefault("262144")
    int maxRequestBytes();
}
