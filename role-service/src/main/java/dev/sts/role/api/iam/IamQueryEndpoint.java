package dev.sts.role.api.iam;

import dev.sts.kit.auth.CallerIdentity;
import dev.sts.kit.aws.AwsConfig;
import dev.sts.kit.aws.AwsErrorFormat;
import dev.sts.kit.aws.AwsHttpEndpoint;
import dev.sts.kit.aws.AwsHttpRequest;
import dev.sts.kit.aws.AwsQueryForm;
import dev.sts.kit.aws.AwsRequestAuthenticator;
import dev.sts.kit.aws.AwsResponse;
import dev.sts.kit.grpc.RequestContext;
import dev.sts.role.api.RoleOperations;
import dev.sts.role.domain.Call;
import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * The IAM Query API ({@code POST /} on role-service's HTTP port, beside gRPC): a SigV4-signed form
 * naming an action of API version 2010-05-08, answered in IAM's XML (docs/adr/024). The caller is
 * established by the kit's {@link AwsRequestAuthenticator} as the same {@link CallerIdentity} a
 * gRPC caller gets, and the action runs the same {@link RoleOperations} method the gRPC service
 * calls, so authorization, validation and audit are the gRPC API's.
 */
@ApplicationScoped
public class IamQueryEndpoint {
    /** The service name in the SigV4 credential scope of IAM requests. */
    static final String SIGNING_SERVICE = "iam";
    private final AwsRequestAuthenticator authenticator;
    private final AwsConfig aws;
    private final RoleOperations operations;

    public IamQueryEndpoint(AwsRequestAuthenticator authenticator, AwsConfig aws, RoleOperations operations) {
        this.authenticator = authenticator;
        this.aws = aws;
        this.operations = operations;
    }

    void mount(@Observes Router router) {
        AwsHttpEndpoint.mount(router, aws.maxRequestBytes(), AwsErrorFormat.query(IamActions.NAMESPACE), this::handle);
    }

    /** Runs on a worker thread (the kit's endpoint): authentication may fetch keys and block. */
    Uni<AwsResponse> handle(AwsHttpRequest request) {
        CallerIdentity caller = authenticator.authenticate(request, SIGNING_SERVICE);
        AwsQueryForm form = AwsQueryForm.parse(request);
        IamActions.Action<?, ?> action = IamActions.of(form.action(), form.version().orElse(null));
        // aws:SecureTransport is the request's transport (the connection's TLS, or a trusted
        // proxy's forwarded scheme: docs/adr/027).
        RequestContext context = request.requestContext();
        Call call = new Call(caller, context);
        QueryParameters parameters = QueryParameters.of(form);
        // The operations use reactive database sessions, which run on a Vert.x (duplicated) context,
        // as a gRPC call's do; this request arrives on a worker thread.
        return Uni.createFrom().<String>emitter(emitter -> VertxContextSupport.subscribe(
                () -> action.handle(operations, call, parameters).toMulti(),
                s -> s.with(emitter::complete, emitter::fail)))
                .map(xml -> AwsResponse.xml(200, xml));
    }
}
