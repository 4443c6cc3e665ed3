package dev.sts.token.api;

import dev.sts.kit.auth.CallerIdentity;
import dev.sts.kit.auth.SessionClaims;
import dev.sts.kit.aws.AwsConfig;
import dev.sts.kit.aws.AwsErrorFormat;
import dev.sts.kit.aws.AwsHttpEndpoint;
import dev.sts.kit.aws.AwsHttpRequest;
import dev.sts.kit.aws.AwsQueryForm;
import dev.sts.kit.aws.AwsQueryXml;
import dev.sts.kit.aws.AwsRequestAuthenticator;
import dev.sts.kit.aws.AwsResponse;
import dev.sts.kit.error.ErrorCode;
import dev.sts.kit.error.StsException;
import dev.sts.token.domain.AssumeRoleService;
import dev.sts.token.domain.AssumeRoleWithWebIdentityService;
import dev.sts.token.domain.CallContext;
import dev.sts.token.domain.SessionTag;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The STS Query API ({@code POST /} with a form body, or {@code GET /} with the parameters in the query
 * string, {@code Action=...&Version=2011-06-15}) on token-service's HTTP
 * port, so that the AWS CLI and SDKs work with {@code --endpoint-url} pointed at token-service:
 * AssumeRole, AssumeRoleWithWebIdentity and GetCallerIdentity, answered in AWS's XML shapes (STS API
 * Reference, https://docs.aws.amazon.com/STS/latest/APIReference/). Translation only: the parameters
 * become the same domain commands the gRPC service sends, so every rule and every audit event is the
 * gRPC call's. Callers are authenticated by their SigV4 signature (docs/adr/023), except
 * AssumeRoleWithWebIdentity, which AWS serves unsigned: its web identity token is the credential.
 * A presigned request (SigV4 in the query string, docs/adr/027) is accepted too: a presigned
 * {@code GetCallerIdentity} URL is how aws-iam-authenticator and Vault's AWS auth method let a
 * third party learn who signed it.
 */
@ApplicationScoped
public class StsQueryApi {
    public static final String NAMESPACE = "https://sts.amazonaws.com/doc/2011-06-15/";
    public static final String VERSION = "2011-06-15";
    /** SigV4's service name for STS. */
    public static final String SERVICE = "sts";
    private static final Set<String> TAG_FIELDS = Set.of("Key", "Value");
    private static final Set<String> POLICY_ARN_FIELDS = Set.of("arn");

    private final AwsRequestAuthenticator authenticator;
    private final AssumeRoleService assumeRole;
    private final AssumeRoleWithWebIdentityService webIdentity;
    private final AwsConfig aws;

    public StsQueryApi(AwsRequestAuthenticator authenticator, AssumeRoleService assumeRole,
            AssumeRoleWithWebIdentityService webIdentity, AwsConfig aws) {
        this.authenticator = authenticator;
        this.assumeRole = assumeRole;
        this.webIdentity = webIdentity;
        this.aws = aws;
    }

    void mount(@Observes Router router) {
        AwsHttpEndpoint.mountQuery(router, aws.maxRequestBytes(), AwsErrorFormat.query(NAMESPACE), this::handle);
    }

    Uni<AwsResponse> handle(AwsHttpRequest request) {
        AwsQueryForm form = AwsQueryForm.parse(request);
        String action = form.action();
        String version = form.required("Version");
        if (!version.equals(VERSION)) {
            throw new StsException(ErrorCode.INVALID_ACTION, "Could not find operation " + printable(action)
                    + " for version " + printable(version));
        }
        CallContext call = new CallContext(request.requestId(), request.sourceIp(), request.userAgent(),
                request.secureTransport());
        return switch (action) {
            case "AssumeRole" -> assumeRole(request, form, call);
            case "AssumeRoleWithWebIdentity" -> assumeRoleWithWebIdentity(request, form, call);
            case "GetCallerIdentity" -> getCallerIdentity(request);
            default -> throw new StsException(ErrorCode.INVALID_ACTION, "Could not find operation "
                    + printable(action) + " for version " + VERSION);
        };
    }

    private Uni<AwsResponse> assumeRole(AwsHttpRequest request, AwsQueryForm form, CallContext call) {
        CallerIdentity caller = authenticator.authenticate(request, SERVICE);
        // SerialNumber and TokenCode are accepted and, as by the gRPC service, not used: no MFA device
        // is registered here, so aws:MultiFactorAuthPresent is absent and policies that require it deny.
        var cmd = new AssumeRoleService.Command(form.required("RoleArn"), form.required("RoleSessionName"),
                form.get("Policy").orElse(null), policyArns(form), form.integer("DurationSeconds").orElse(0),
                tags(form), form.members("TransitiveTagKeys"), form.get("ExternalId").orElse(null),
                form.get("SourceIdentity").orElse(null));
        return assumeRole.assumeRole(caller, call, cmd).map(issued -> ok("AssumeRole", request, r -> {
            SessionClaims s = issued.session();
            r.text("SourceIdentity", s.sourceIdentity());
            assumedRoleUser(r, s);
            credentials(r, s, issued.secretAccessKey(), issued.sessionToken());
            r.text("PackedPolicySize", Integer.toString(issued.packedPolicySize()));
        }));
    }

    private Uni<AwsResponse> assumeRoleWithWebIdentity(AwsHttpRequest request, AwsQueryForm form, CallContext call) {
        var cmd = new AssumeRoleWithWebIdentityService.Command(form.required("RoleArn"),
                form.required("RoleSessionName"), form.required("WebIdentityToken"), form.get("Policy").orElse(null),
                policyArns(form), form.integer("DurationSeconds").orElse(0));
        return webIdentity.assume(call, cmd).map(issued -> ok("AssumeRoleWithWebIdentity", request, r -> {
            SessionClaims s = issued.session();
            r.text("SubjectFromWebIdentityToken", issued.identity().subject());
            r.text("Audience", issued.identity().audience());
            assumedRoleUser(r, s);
            credentials(r, s, issued.secretAccessKey(), issued.sessionToken());
            r.text("SourceIdentity", s.sourceIdentity());
            // AWS: "For OpenID Connect ID tokens, this contains the value of the iss field."
            r.text("Provider", issued.identity().provider().issuer());
            r.text("PackedPolicySize", Integer.toString(issued.packedPolicySize()));
        }));
    }

    private Uni<AwsResponse> getCallerIdentity(AwsHttpRequest request) {
        CallerIdentity caller = authenticator.authenticate(request, SERVICE);
        return Uni.createFrom().item(ok("GetCallerIdentity", request, r -> r
                .text("Arn", caller.arn())
                .text("UserId", caller.userId() == null ? "" : caller.userId())
                .text("Account", caller.accountId() == null ? "" : caller.accountId())));
    }

    private static AwsResponse ok(String action, AwsHttpRequest request,
            java.util.function.Consumer<AwsQueryXml.Body> result) {
        return AwsResponse.xml(200, AwsQueryXml.response(action, NAMESPACE, request.requestId(), result));
    }

    private static void assumedRoleUser(AwsQueryXml.Body r, SessionClaims s) {
        r.element("AssumedRoleUser", u -> u.text("Arn", s.assumedRoleArn()).text("AssumedRoleId", s.userId()));
    }

    private static void credentials(AwsQueryXml.Body r, SessionClaims s, String secret, String token) {
        r.element("Credentials", c -> c
                .text("AccessKeyId", s.accessKeyId())
                .text("SecretAccessKey", secret)
                .text("SessionToken", token)
                .text("Expiration", s.expiresAt().toString()));
    }

    /** {@code PolicyArns.member.N.arn}: the managed session policies. */
    private static List<String> policyArns(AwsQueryForm form) {
        List<String> arns = new ArrayList<>();
        for (Map<String, String> m : form.memberStructures("PolicyArns")) {
            requireFields(m, POLICY_ARN_FIELDS, "PolicyArns");
            String arn = m.get("arn");
            if (arn == null) {
                throw StsException.invalid("PolicyArns", "every PolicyArns member needs an arn");
            }
            arns.add(arn);
        }
        return arns;
    }

    /** {@code Tags.member.N.Key} / {@code .Value}: the session tags. */
    private static List<SessionTag> tags(AwsQueryForm form) {
        List<SessionTag> tags = new ArrayList<>();
        for (Map<String, String> m : form.memberStructures("Tags")) {
            requireFields(m, TAG_FIELDS, "Tags");
            if (m.get("Key") == null) {
                throw StsException.invalid("Tags", "every Tags member needs a Key");
            }
            tags.add(new SessionTag(m.get("Key"), m.getOrDefault("Value", "")));
        }
        return tags;
    }

    private static void requireFields(Map<String, String> member, Set<String> allowed, String list) {
        for (String field : member.keySet()) {
            if (!allowed.contains(field)) {
                throw StsException.invalid(list, list + " members have no field " + printable(field));
            }
        }
    }

    private static String printable(String s) {
        String cut = s.length() > 64 ? s.substring(0, 64) + "..." : s;
        return cut.replaceAll("[^\\x20-\\x7e]", "?");
    }
}
