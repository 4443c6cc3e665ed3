package dev.sts.role.domain;

import dev.sts.kit.error.StsException;
import java.util.function.Supplier;

/**
 * A customer-managed policy a role change starts to use (attached or as boundary). The store locks
 * it for the change's transaction ({@code FOR SHARE}), so that a concurrent DeletePolicy, which
 * locks it exclusively before counting its uses, either sees the new use or has already deleted
 * it; in that case the change fails with {@code ifMissing}.
 */
public record PolicyReference(String arn, Supplier<StsException> ifMissing) {
}
