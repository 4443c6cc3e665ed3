package dev.sts.audit.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** ExportEvents settings ({@code sts.audit.export.*}; environment {@code STS_AUDIT_EXPORT_*}). */
@ConfigMapping(prefix = "sts.audit.export")
public interface ExportConfig {
    /**
     * Records read from the database per query while streaming. A call holds at most one page
     * beyond what it has handed to gRPC, and reads the next only when the client's stream is ready
     * again, so a slow reader costs one page of memory, not the whole range.
     */
    @WithDefault("500")
    int pageSize();
}
