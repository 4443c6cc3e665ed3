package dev.sts.token.api;

import dev.sts.kit.auth.Authenticator;
import dev.sts.kit.auth.CallerIdentity;
import dev.sts.kit.grpc.RequestContext;
import dev.sts.kit.time.Timestamps;
import dev.sts.proto.v1.AssumeRoleRequest;
import dev.sts.proto.v1.AssumeRoleResponse;
import dev.sts.proto.v1.AssumeRoleWithWebIdentityRequest;
import dev.sts.proto.v1.AssumeRoleWithWebIdentityResponse;
import dev.sts.proto.v1.AssumedRoleUser;
import dev.sts.proto.v1.AuthorizeRequest;
import dev.sts.proto.v1.AuthorizeResponse;
import dev.sts.proto.v1.Credentials;
import dev.sts.proto.v1.GetCallerIdentityRequest;
import dev.sts.proto.v1.GetCallerIdentityResponse;
import dev.sts.proto.v1.GetJwksRequest;
import dev.sts.proto.v1.GetJwksResponse;
import dev.sts.proto.v1.MutinyTokenServiceGrpc;
import dev.sts.proto.v1.PolicyDescriptor;
import dev.sts.proto.v1.RevokeSessionsRequest;
import dev.sts.proto.v1.RevokeSessionsResponse;
import dev.sts.proto.v1.ValidateSessionTokenRequest;
import dev.sts.proto.v1.ValidateSessionTokenResponse;
import dev.sts.token.domain.AssumeRoleService;
import dev.sts.token.domain.AssumeRoleWithWebIdentityService;
import dev.sts.token.domain.CallContext;
import dev.sts.token.domain.RevocationService;
import dev.sts.token.domain.SessionChecks;
import dev.sts.token.domain.SessionTag;
import dev.sts.token.signing.KeyManager;
import io.quarkus.grpc.GrpcService;
import io.smallrye.mutiny.Uni;

/**
 * gRPC facade of token-service: authenticates from metadata, translates, delegates. RPCs not
 * overridden here answer UNIMPLEMENTED until their issue lands. Validation is the domain's: this
 * class passes the request on as sent.
 */
@GrpcService
public class TokenGrpcService extends MutinyTokenServiceGrpc.TokenServiceImplBase {
    private final Authenticator authenticator;
    private final AssumeRoleService assumeRole;
    private final KeyManager keys;
    private final AssumeRoleWithWebIdentityService webIdentity;
    private final RevocationService revocations;
    private final SessionChecks sessionChecks;

    public TokenGrpcService(Authenticator authenticator, AssumeRoleService assumeRole, KeyManager keys,
            AssumeRoleWithWebIdentityService webIdentity, RevocationService revocations, SessionChecks sessionChecks) {
        this.authenticator = authenticator;
        this.assumeRole = assumeRole;
        this.keys = keys;
        this.webIdentity = webIdentity;
        this.revocations = revocations;
        this.sessionChecks = sessionChecks;
    }

    @Override
    public Uni<AssumeRoleResponse> assumeRole(AssumeRoleRequest request) {
        return Uni.createFrom().deferred(() -> {
            RequestContext ctx = RequestContext.current();
            CallerIdentity caller = authenticator.authenticate(ctx.bearer());
            var cmd = new AssumeRoleService.Command(request.getRoleArn(), request.getRoleSessionName(),
                    emptyToNull(request.getPolicy()),
                    request.getPolicyArnsList().stream().map(PolicyDescriptor::getArn).toList(),
                    request.getDurationSeconds(),
                    request.getTagsList().stream().map(t -> new SessionTag(t.getKey(), t.getValue())).toList(),
                    request.getTransitiveTagKeysList(),
                    emptyToNull(request.getExternalId()), emptyToNull(request.getSourceIdentity()));
            return assumeRole.assumeRole(caller, callContext(ctx), cmd);
        }).map(issued -> {
            var s = issued.session();
            return AssumeRoleResponse.newBuilder()
                    .setCredentials(Credentials.newBuilder()
                            .setAccessKeyId(s.accessKeyId())
                            .setSecretAccessKey(issued.secretAccessKey())
                            .setSessionToken(issued.sessionToken())
                            .setExpiration(Timestamps.of(s.expiresAt())))
                    .setAssumedRoleUser(AssumedRoleUser.newBuilder().setArn(s.assumedRoleArn()).setAssumedRoleId(s.userId()))
                    .setPackedPolicySize(issued.packedPolicySize())
                    .setSourceIdentity(s.sourceIdentity() == null ? "" : s.sourceIdentity())
                    .build();
        });
    }

    /**
     * Unauthenticated: the web identity token in the request is the credential, and no bearer
     * credential is looked at. Blocking: verifying a token may fetch its issuer's keys over HTTP.
     */
    @Override
    @io.smallrye.common.annotation.Blocking
    public Uni<AssumeRoleWithWebIdentityResponse> assumeRoleWithWebIdentity(AssumeRoleWithWebIdentityRequest request) {
        return Uni.createFrom().deferred(() -> {
            RequestContext ctx = RequestContext.current();
            var cmd = new AssumeRoleWithWebIdentityService.Command(request.getRoleArn(), request.getRoleSessionName(),
                    request.getWebIdentityToken(), emptyToNull(request.getPolicy()),
                    request.getPolicyArnsList().stream().map(PolicyDescriptor::getArn).toList(), request.getDurationSeconds());
            return webIdentity.assume(callContext(ctx), cmd);
        }).map(issued -> {
            var s = issued.session();
            return AssumeRoleWithWebIdentityResponse.newBuilder()
                    .setCredentials(Credentials.newBuilder()
                            .setAccessKeyId(s.accessKeyId())
                            .setSecretAccessKey(issued.secretAccessKey())
                            .setSessionToken(issued.sessionToken())
                            .setExpiration(Timestamps.of(s.expiresAt())))
                    .setAssumedRoleUser(AssumedRoleUser.newBuilder().setArn(s.assumedRoleArn()).setAssumedRoleId(s.userId()))
                    .setPackedPolicySize(issued.packedPolicySize())
                    .setSubjectFromWebIdentityToken(issued.identity().subject())
                    // AWS: "For OpenID Connect ID tokens, this contains the value of the iss field."
                    .setProvider(issued.identity().provider().issuer())
                    .setAudience(issued.identity().audience())
                    .setSourceIdentity(s.sourceIdentity() == null ? "" : s.sourceIdentity())
                    .build();
        });
    }

    @Override
    public Uni<GetCallerIdentityResponse> getCallerIdentity(GetCallerIdentityRequest request) {
        return Uni.createFrom().item(() -> {
            CallerIdentity caller = authenticator.authenticate();
            return GetCallerIdentityResponse.newBuilder()
                    .setArn(caller.arn())
                    .setAccount(caller.accountId() == null ? "" : caller.accountId())
                    .setUserId(caller.userId() == null ? "" : caller.userId())
                    .build();
        });
    }

    @Override
    public Uni<ValidateSessionTokenResponse> validateSessionToken(ValidateSessionTokenRequest request) {
        return Uni.createFrom().item(() -> ValidateSessionTokenResponse.newBuilder()
                .setSession(SessionMapping.session(
                        sessionChecks.validate(authenticator.authenticate(), request.getSessionToken())))
                .build());
    }

    @Override
    public Uni<AuthorizeResponse> authorize(AuthorizeRequest request) {
        return Uni.createFrom().item(() -> SessionMapping.response(
                sessionChecks.authorize(authenticator.authenticate(), SessionMapping.command(request))));
    }

    @Override
    public Uni<GetJwksResponse> getJwks(GetJwksRequest request) {
        return Uni.createFrom().item(() -> {
            var set = keys.publicKeys();
            GetJwksResponse.Builder b = GetJwksResponse.newBuilder().setJwksJson(set.toString(true));
            String current = keys.current().kid();
            b.addKeyIds(current);
            set.getKeys().stream().map(k -> k.getKeyID()).filter(kid -> !kid.equals(current)).forEach(b::addKeyIds);
            return b.build();
        });
    }

    @Override
    public Uni<RevokeSessionsResponse> revokeSessions(RevokeSessionsRequest request) {
        return Uni.createFrom().deferred(() -> {
            RequestContext ctx = RequestContext.current();
            CallerIdentity caller = authenticator.authenticate(ctx.bearer());
            var kind = switch (request.getSelectorCase()) {
                case SESSION_ID -> dev.sts.kit.revocation.RevocationRules.Kind.SESSION_ID;
                case ROLE_ARN -> dev.sts.kit.revocation.RevocationRules.Kind.ROLE_ARN;
                case SOURCE_IDENTITY -> dev.sts.kit.revocation.RevocationRules.Kind.SOURCE_IDENTITY;
                case ISSUED_BEFORE -> dev.sts.kit.revocation.RevocationRules.Kind.ISSUED_BEFORE;
                case SELECTOR_NOT_SET -> null;
            };
            java.time.Instant issuedBefore = null;
            if (request.hasIssuedBefore()) {
                // A Timestamp outside 0001-01-01..9999-12-31 or with nanos out of range is not a time
                // (google/protobuf/timestamp.proto's own rule).
                var t = request.getIssuedBefore();
                if (t.getSeconds() < -62_135_596_800L || t.getSeconds() > 253_402_300_799L || t.getNanos() < 0
                        || t.getNanos() > 999_999_999) {
                    throw dev.sts.kit.error.StsException.invalid("issued_before", "issued_before is not a valid timestamp");
                }
                issuedBefore = Timestamps.toInstant(request.getIssuedBefore());
            }
            String value = switch (request.getSelectorCase()) {
                case SESSION_ID -> request.getSessionId();
                case ROLE_ARN -> request.getRoleArn();
                case SOURCE_IDENTITY -> request.getSourceIdentity();
                default -> null;
            };
            var cmd = new RevocationService.Command(kind, value, issuedBefore, emptyToNull(request.getReason()));
            return revocations.revoke(caller, callContext(ctx), cmd);
        }).map(r -> RevokeSessionsResponse.newBuilder().setRevocationId(r.id()).setRevokedAt(Timestamps.of(r.revokedAt()))
                .build());
    }

    /**
     * The call as the domain sees it; whether it came over TLS is the connection's
     * ({@code Grpc.TRANSPORT_ATTR_SSL_SESSION}, set by {@code RequestContextInterceptor}), never a header.
     */
    private static CallContext callContext(RequestContext ctx) {
        return new CallContext(ctx.requestId(), ctx.sourceIp(), ctx.userAgent(), ctx.secureTransport().orElse(false));
    }

    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }
}
