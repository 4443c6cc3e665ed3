package dev.sts.role.domain;

import dev.sts.kit.auth.CallerIdentity;
import dev.sts.kit.grpc.RequestContext;

/** Who is calling and the call's own facts (request id, source address), as every use case needs them. */
public record Call(CallerIdentity caller, RequestContext request) {
}
