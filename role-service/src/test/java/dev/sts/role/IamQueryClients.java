package dev.sts.role;

import dev.sts.kit.testing.AwsTestKeys;
import dev.sts.kit.testing.TestChannels;
import dev.sts.kit.testing.TestJwksResource;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import java.net.URI;
import java.time.Duration;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.iam.IamClient;

/** AWS SDK v2 IAM clients pointed at the role-service under test, as `aws --endpoint-url` points the CLI. */
final class IamQueryClients {
    private IamQueryClients() {
    }

    static URI endpoint() {
        return URI.create("http://127.0.0.1:" + TestChannels.port() + "/");
    }

    /** A client signing with the given credentials; no retries, so that each answer is the service's first. */
    static IamClient client(AwsCredentials credentials) {
        return IamClient.builder()
                .endpointOverride(endpoint())
                // IAM is a global service signed for us-east-1; any region is accepted (issue 10).
                .region(Region.AWS_GLOBAL)
                .credentialsProvider(StaticCredentialsProvider.create(credentials))
                .overrideConfiguration(c -> c.retryStrategy(RetryMode.STANDARD).retryStrategy(b -> b.maxAttempts(1))
                        .apiCallTimeout(Duration.ofSeconds(60)))
                .build();
    }

    /** The bootstrap administrator's long-term access key (AKIA...). */
    static IamClient admin() {
        return client(AwsBasicCredentials.create(AwsTestKeys.ADMIN_ACCESS_KEY_ID, AwsTestKeys.adminSecret()));
    }

    /** An IAM user's long-term key that no policy allows anything. */
    static IamClient user() {
        return client(AwsBasicCredentials.create(AwsTestKeys.USER_ACCESS_KEY_ID, AwsTestKeys.userSecret()));
    }

    /** Session credentials, as AssumeRole returns them. */
    static IamClient session(TestJwksResource.AwsSession s) {
        return client(AwsSessionCredentials.create(s.accessKeyId(), s.secretAccessKey(), s.sessionToken()));
    }
}
