package dev.sts.role;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sts.cluster.test.InfrastructureResource;
import dev.sts.kit.testing.AwsTestKeys;
import dev.sts.kit.testing.TestJwksResource;
import dev.sts.proto.v1.StsEvent;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import java.io.ByteArrayInputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpFullRequest;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.CreateRoleResponse;
import software.amazon.awssdk.services.iam.model.IamException;
import software.amazon.awssdk.services.iam.model.Role;

/**
 * The IAM Query API on the wire: session credentials, refusals and their audit, and requests the
 * SDK would never send (malformed, oversized, unknown actions and parameters), each refused with
 * IAM's error document and never as an internal failure.
 */
@QuarkusTest
@QuarkusTestResource(value = InfrastructureResource.class, initArgs = @ResourceArg(name = "database", value = "roles"))
@QuarkusTestResource(value = TestJwksResource.class, restrictToAnnotatedClass = true)
class IamQueryWireTest {
    static IamClient admin;
    static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void connect() {
        admin = IamQueryClients.admin();
    }

    @AfterAll
    static void close() {
        admin.close();
    }

    @Test
    void aCallIsAuditedWithTheRequestIdItWasAnsweredWith() {
        String name = RoleTests.unique("QueryAudit-");
        CreateRoleResponse created = admin.createRole(b -> b.roleName(name).assumeRolePolicyDocument(RoleTests.TRUST));
        StsEvent event = RoleServiceTest.awaitRoleEvent(created.role().arn());
        assertThat(event.getRoleChanged().getEventName()).isEqualTo("CreateRole");
        assertThat(event.getRoleChanged().getHeader().getRequestId()).isEqualTo(created.responseMetadata().requestId());
        assertThat(event.getRoleChanged().getHeader().getActor().getArn()).isEqualTo(AwsTestKeys.ADMIN_PRINCIPAL);
        assertThat(event.getRoleChanged().getHeader().getUserAgent()).contains("aws-sdk-java");
    }

    @Test
    void sessionCredentialsAreAuthorizedByTheRolesPolicies() {
        String name = RoleTests.unique("QuerySession-");
        Role role = admin.createRole(b -> b.roleName(name).assumeRolePolicyDocument(RoleTests.TRUST)).role();
        admin.putRolePolicy(b -> b.roleName(name).policyName("self").policyDocument("""
                {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:GetRole","Resource":"%s"}]}"""
                .formatted(role.arn())));
        TestJwksResource.AwsSession session = TestJwksResource.awsSession(role.arn(), role.roleId(), "s1");
        try (IamClient iam = IamQueryClients.session(session)) {
            // Allowed once the permission view has read the role's policy.
            Awaitility.await().atMost(Duration.ofSeconds(60)).ignoreExceptions()
                    .until(() -> iam.getRole(b -> b.roleName(name)).role().roleId().equals(role.roleId()));
            IamException denied = IamQueryApiTest.assertIamError(() -> iam.deleteRole(b -> b.roleName(name)),
                    IamException.class, "AccessDenied", 403);
            assertThat(denied.awsErrorDetails().errorMessage()).isEqualTo("User: " + session.claims().assumedRoleArn()
                    + " is not authorized to perform: iam:DeleteRole on resource: " + role.arn()
                    + " because no identity-based policy allows the iam:DeleteRole action");
        }
        try (IamClient user = IamQueryClients.user()) {
            IamQueryApiTest.assertIamError(() -> user.getRole(b -> b.roleName(name)), IamException.class,
                    "AccessDenied", 403);
        }
    }

    @Test
    void requestsTheSdkWouldNotSendAreRefusedCleanly() throws Exception {
        assertRefused(send("Action=DeleteUser&Version=2010-05-08&UserName=x", true), 400, "InvalidAction");
        assertRefused(send("Action=GetRole&Version=2011-06-15&RoleName=x", true), 400, "InvalidAction");
        assertRefused(send("Version=2010-05-08&RoleName=x", true), 400, "MissingAction");
        assertRefused(send("Action=GetRole&Version=2010-05-08&RoleName=x&Bogus=1", true), 400, "ValidationError");
        assertRefused(send("Action=ListRoles&Version=2010-05-08&MaxItems=many", true), 400, "ValidationError");
        assertRefused(send("Action=ListRoles&Version=2010-05-08&MaxItems=0", true), 400, "ValidationError");
        assertRefused(send("Action=UntagRole&Version=2010-05-08&RoleName=x&TagKeys.member.2=a", true), 400,
                "ValidationError");
        assertRefused(send("Action=GetRole&Version=2010-05-08&RoleName=%E0%80", true), 404, "MalformedQueryString");
        assertRefused(send("Action=GetRole&Version=2010-05-08&RoleName=%zz", true), 404, "MalformedQueryString");
        assertRefused(send("Action=GetRole&Version=2010-05-08&RoleName=a&RoleName=b", true), 404,
                "MalformedQueryString");
        assertRefused(send("Action=GetRole&Version=2010-05-08&RoleName=x", false), 403, "MissingAuthenticationToken");
        String huge = "Action=PutRolePolicy&Version=2010-05-08&RoleName=x&PolicyName=p&PolicyDocument="
                + "a".repeat(300_000);
        assertRefused(send(huge, true), 413, "RequestEntityTooLarge");
    }

    private static void assertRefused(HttpResponse<String> response, int status, String code) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.body()).contains("<ErrorResponse xmlns=\"https://iam.amazonaws.com/doc/2010-05-08/\">")
                .contains("<Code>" + code + "</Code>").contains("<Type>Sender</Type>").doesNotContain("InternalFailure");
        assertThat(response.headers().firstValue("x-amzn-RequestId")).isPresent();
        assertThat(response.body()).contains("<RequestId>" + response.headers().firstValue("x-amzn-RequestId").get());
    }

    /** POSTs a form as the SDK would, signed (SigV4, service iam) with the bootstrap key when {@code signed}. */
    private static HttpResponse<String> send(String form, boolean signed) throws Exception {
        byte[] body = form.getBytes(StandardCharsets.UTF_8);
        SdkHttpFullRequest request = SdkHttpFullRequest.builder().method(SdkHttpMethod.POST)
                .uri(IamQueryClients.endpoint())
                .putHeader("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
                .contentStreamProvider(() -> new ByteArrayInputStream(body)).build();
        SdkHttpRequest toSend = request;
        if (signed) {
            toSend = AwsV4HttpSigner.create().sign(r -> r
                    .identity(AwsCredentialsIdentity.create(AwsTestKeys.ADMIN_ACCESS_KEY_ID, AwsTestKeys.adminSecret()))
                    .request(request).payload(ContentStreamProvider.fromByteArray(body))
                    .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "iam")
                    .putProperty(AwsV4HttpSigner.REGION_NAME, "us-east-1")).request();
        }
        HttpRequest.Builder b = HttpRequest.newBuilder(IamQueryClients.endpoint())
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        Set<String> restricted = Set.of("host", "content-length", "connection");
        toSend.headers().forEach((k, values) -> {
            if (!restricted.contains(k.toLowerCase(java.util.Locale.ROOT))) {
                values.forEach(v -> b.header(k, v));
            }
        });
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}
