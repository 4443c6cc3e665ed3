package dev.sts.role;

import com.google.protobuf.Timestamp;
import dev.sts.proto.v1.ManagedPolicyState;
import dev.sts.role.persistence.KitAwsManagedCatalogue;
import io.quarkus.test.Mock;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * service-kit's AWS-managed catalogue plus two fixture policies under a path no real AWS-managed
 * policy has ({@code /sts-fixture/}), so that tests of AWS-managed behaviour have exact
 * expectations whatever the real catalogue holds. The fixtures have the catalogue's shape
 * ({@link ManagedPolicyState}); only their data is made up.
 */
@Mock
@ApplicationScoped
public class FixtureAwsManagedCatalogue extends KitAwsManagedCatalogue {
    static final String READ_ONLY = "arn:aws:iam::aws:policy/sts-fixture/FixtureReadOnly";
    static final String VIEW_ONLY = "arn:aws:iam::aws:policy/sts-fixture/FixtureViewOnly";
    static final String READ_ONLY_DOCUMENT = """
            {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:Get*","s3:List*"],"Resource":"*"}]}""";
    static final String VIEW_ONLY_DOCUMENT = """
            {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:List*","Resource":"*"}]}""";

    static final List<ManagedPolicyState> FIXTURES = List.of(
            fixture(READ_ONLY, "ANPAFIXTUREREADONLY01", "FixtureReadOnly", READ_ONLY_DOCUMENT),
            fixture(VIEW_ONLY, "ANPAFIXTUREVIEWONLY01", "FixtureViewOnly", VIEW_ONLY_DOCUMENT));

    @Override
    protected List<ManagedPolicyState> states() {
        List<ManagedPolicyState> real = super.states();
        Set<String> realArns = real.stream().map(ManagedPolicyState::getArn).collect(Collectors.toSet());
        List<ManagedPolicyState> all = new ArrayList<>(real);
        FIXTURES.stream().filter(f -> !realArns.contains(f.getArn())).forEach(all::add);
        all.sort(Comparator.comparing(ManagedPolicyState::getArn));
        return all;
    }

    private static ManagedPolicyState fixture(String arn, String id, String name, String document) {
        return ManagedPolicyState.newBuilder().setArn(arn).setPolicyId(id).setPolicyName(name).setPath("/sts-fixture/")
                .setAccountId("aws").setRevision(1).setDefaultVersionId("v1").setDefaultDocument(document)
                .setUpdatedAt(Timestamp.newBuilder().setSeconds(1_700_000_000L)).build();
    }
}
