package dev.sts.role.api.iam;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.Timestamp;
import dev.sts.kit.aws.AwsQueryXml;
import dev.sts.kit.error.ErrorCode;
import dev.sts.kit.error.StsException;
import dev.sts.proto.v1.*;
import io.grpc.MethodDescriptor;
import java.io.ByteArrayInputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/** The IAM Query encodings: parameters to sts.v1 requests, responses to IAM's XML (no service). */
class IamQueryProtocolTest {

    private static QueryParameters params(String... kv) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return new QueryParameters(m);
    }

    private static ErrorCode codeOf(Runnable r) {
        try {
            r.run();
        } catch (StsException e) {
            return e.code();
        }
        throw new AssertionError("no StsException");
    }

    @Test
    void everyRoleServiceRpcHasAnAction() {
        var rpcs = RoleServiceGrpc.getServiceDescriptor().getMethods().stream()
                .map(m -> MethodDescriptor.extractBareMethodName(m.getFullMethodName())).collect(Collectors.toSet());
        assertThat(IamActions.names()).containsExactlyInAnyOrderElementsOf(rpcs).hasSize(27);
    }

    @Test
    void listsAreReadInIndexOrderAndStructuresByField() {
        CreateRoleRequest r = IamRequests.createRole(params("RoleName", "r", "AssumeRolePolicyDocument", "{}",
                "Tags.member.2.Key", "b", "Tags.member.2.Value", "2",
                "Tags.member.10.Key", "j", "Tags.member.10.Value", "10",
                "Tags.member.1.Key", "a", "Tags.member.1.Value", "1",
                "Tags.member.3.Key", "c", "Tags.member.3.Value", "",
                "Tags.member.4.Key", "d", "Tags.member.5.Key", "e", "Tags.member.6.Key", "f",
                "Tags.member.7.Key", "g", "Tags.member.8.Key", "h", "Tags.member.9.Key", "i"));
        assertThat(r.getTagsList()).extracting(Tag::getKey)
                .containsExactly("a", "b", "c", "d", "e", "f", "g", "h", "i", "j");
        assertThat(r.getTags(9).getValue()).isEqualTo("10");
        assertThat(r.getMaxSessionDuration()).isZero();
    }

    @Test
    void simulationContextEntriesAndListsMapOntoTheRpcRequest() {
        QueryParameters p = params("PolicySourceArn", "arn:aws:iam::000000000000:role/r",
                "ActionNames.member.1", "s3:GetObject", "ActionNames.member.2", "s3:PutObject",
                "ResourceArns.member.1", "arn:aws:s3:::b/k",
                "ContextEntries.member.1.ContextKeyName", "aws:SourceIp",
                "ContextEntries.member.1.ContextKeyType", "ipList",
                "ContextEntries.member.1.ContextKeyValues.member.1", "10.0.0.1",
                "ContextEntries.member.1.ContextKeyValues.member.2", "10.0.0.2",
                "MaxItems", "5", "Marker", "tok");
        SimulatePrincipalPolicyRequest r = IamRequests.simulatePrincipalPolicy(p);
        p.requireAllRead("SimulatePrincipalPolicy");
        assertThat(r.getActionNamesList()).containsExactly("s3:GetObject", "s3:PutObject");
        assertThat(r.getResourceArnsList()).containsExactly("arn:aws:s3:::b/k");
        assertThat(r.getContextEntries(0).getKey()).isEqualTo("aws:SourceIp");
        assertThat(r.getContextEntries(0).getType()).isEqualTo("ipList");
        assertThat(r.getContextEntries(0).getValuesList()).containsExactly("10.0.0.1", "10.0.0.2");
        assertThat(r.getPageSize()).isEqualTo(5);
        assertThat(r.getPageToken()).isEqualTo("tok");
    }

    @Test
    void updateRoleKeepsAbsentFieldsUnset() {
        UpdateRoleRequest absent = IamRequests.updateRole(params("RoleName", "r"));
        assertThat(absent.hasDescription()).isFalse();
        assertThat(absent.hasMaxSessionDuration()).isFalse();
        UpdateRoleRequest empty = IamRequests.updateRole(params("RoleName", "r", "Description", "",
                "MaxSessionDuration", "7200"));
        assertThat(empty.hasDescription()).isTrue();
        assertThat(empty.getMaxSessionDuration()).isEqualTo(7200);
    }

    @Test
    void encodingErrorsAreValidationErrorsNamingTheParameter() {
        assertThatThrownBy(() -> IamRequests.listRoles(params("MaxItems", "ten")))
                .isInstanceOfSatisfying(StsException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.VALIDATION_ERROR);
                    assertThat(e.field()).isEqualTo("MaxItems");
                });
        // The proto reads 0 as "unset": an explicit 0 must not stand for the default.
        assertThat(codeOf(() -> IamRequests.listRoles(params("MaxItems", "0")))).isEqualTo(ErrorCode.VALIDATION_ERROR);
        assertThat(codeOf(() -> IamRequests.createRole(params("MaxSessionDuration", "0"))))
                .isEqualTo(ErrorCode.VALIDATION_ERROR);
        assertThat(codeOf(() -> IamRequests.createPolicyVersion(params("SetAsDefault", "yes"))))
                .isEqualTo(ErrorCode.VALIDATION_ERROR);
        assertThat(codeOf(() -> IamRequests.listPolicies(params("Scope", "Everything"))))
                .isEqualTo(ErrorCode.VALIDATION_ERROR);
        assertThat(IamRequests.listPolicies(params("Scope", "Local")).getScope()).isEqualTo(PolicyScope.POLICY_SCOPE_LOCAL);
        // A gap in a list, an index with a leading zero, a structure where a value belongs.
        assertThat(codeOf(() -> IamRequests.untagRole(params("TagKeys.member.1", "a", "TagKeys.member.3", "c"))))
                .isEqualTo(ErrorCode.VALIDATION_ERROR);
        assertThat(codeOf(() -> IamRequests.untagRole(params("TagKeys.member.01", "a"))))
                .isEqualTo(ErrorCode.VALIDATION_ERROR);
        assertThat(codeOf(() -> IamRequests.untagRole(params("TagKeys.member.1.Key", "a"))))
                .isEqualTo(ErrorCode.VALIDATION_ERROR);
    }

    @Test
    void parametersAnActionDoesNotTakeAreRefusedNotIgnored() {
        QueryParameters p = params("Action", "ListPolicies", "Version", "2010-05-08", "Scope", "Local",
                "PolicyUsageFilter", "PermissionsBoundary");
        IamRequests.listPolicies(p);
        assertThatThrownBy(() -> p.requireAllRead("ListPolicies")).isInstanceOfSatisfying(StsException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.VALIDATION_ERROR);
            assertThat(e.field()).isEqualTo("PolicyUsageFilter");
        });
        QueryParameters typo = params("RoleName", "r", "Tags.member.1.Key", "k", "Tags.member.1.Valeu", "v");
        IamRequests.tagRole(typo);
        assertThat(codeOf(() -> typo.requireAllRead("TagRole"))).isEqualTo(ErrorCode.VALIDATION_ERROR);
        QueryParameters fine = params("Action", "GetRole", "Version", "2010-05-08", "RoleName", "r",
                "X-Amz-Date", "20260101T000000Z");
        IamRequests.getRole(fine);
        fine.requireAllRead("GetRole");
    }

    @Test
    void unknownActionsAndVersionsAreInvalidAction() {
        assertThat(codeOf(() -> IamActions.of("CreateUser", "2010-05-08"))).isEqualTo(ErrorCode.INVALID_ACTION);
        assertThat(codeOf(() -> IamActions.of("CreateRole", "2011-06-15"))).isEqualTo(ErrorCode.INVALID_ACTION);
        assertThat(codeOf(() -> IamActions.of("CreateRole", null))).isEqualTo(ErrorCode.INVALID_ACTION);
        assertThat(IamActions.of("CreateRole", "2010-05-08").name()).isEqualTo("CreateRole");
    }

    @Test
    void policyDocumentsAreUrlEncodedPerRfc3986() {
        String doc = "{\"Sid\": \"caf\u00e9 \u65e5\u672c + /&<>%~\ud83d\ude00\"}";
        String encoded = IamResults.urlEncode(doc);
        assertThat(encoded).doesNotContain("+", " ", "{", "\"").contains("%20", "%2B", "%7B", "~", "%F0%9F%98%80");
        assertThat(URLDecoder.decode(encoded, StandardCharsets.UTF_8)).isEqualTo(doc);
    }

    @Test
    void roleResponseHasIamShapeNamespaceAndRequestId() throws Exception {
        Role role = Role.newBuilder().setRoleName("r").setRoleId("AROAEXAMPLE").setPath("/app/")
                .setArn("arn:aws:iam::000000000000:role/app/r").setAssumeRolePolicyDocument("{\"a\": \"b c\"}")
                .setCreateDate(Timestamp.newBuilder().setSeconds(1_700_000_000L).setNanos(123_456_789))
                .setMaxSessionDuration(3600)
                .setPermissionsBoundary(AttachedPermissionsBoundary.newBuilder().setPermissionsBoundaryType("Policy")
                        .setPermissionsBoundaryArn("arn:aws:iam::000000000000:policy/b"))
                .addTags(Tag.newBuilder().setKey("k").setValue("<v&>")).build();
        String xml = AwsQueryXml.response("GetRole", IamActions.NAMESPACE, "req-1",
                x -> IamResults.getRole(GetRoleResponse.newBuilder().setRole(role).build(), x));
        Document d = parse(xml);
        Element root = d.getDocumentElement();
        assertThat(root.getTagName()).isEqualTo("GetRoleResponse");
        assertThat(root.getNamespaceURI()).isEqualTo("https://iam.amazonaws.com/doc/2010-05-08/");
        assertThat(text(d, "RequestId")).isEqualTo("req-1");
        assertThat(text(d, "AssumeRolePolicyDocument")).isEqualTo("%7B%22a%22%3A%20%22b%20c%22%7D");
        assertThat(text(d, "CreateDate")).isEqualTo("2023-11-14T22:13:20.123Z");
        assertThat(text(d, "PermissionsBoundaryArn")).isEqualTo("arn:aws:iam::000000000000:policy/b");
        assertThat(text(d, "Value")).isEqualTo("<v&>");
        assertThat(d.getElementsByTagNameNS("*", "Description").getLength()).isZero();
        assertThat(((Element) d.getElementsByTagNameNS("*", "GetRoleResult").item(0)).getParentNode())
                .isSameAs(root);
    }

    @Test
    void pagedListsCarryIsTruncatedAndMarkerOnlyWhenTruncated() throws Exception {
        Document more = parse(AwsQueryXml.response("ListRolePolicies", IamActions.NAMESPACE, "r", x -> IamResults.listRolePolicies(
                ListRolePoliciesResponse.newBuilder().addPolicyNames("a").addPolicyNames("b").setNextPageToken("next")
                        .build(), x)));
        assertThat(text(more, "IsTruncated")).isEqualTo("true");
        assertThat(text(more, "Marker")).isEqualTo("next");
        assertThat(more.getElementsByTagNameNS("*", "member").getLength()).isEqualTo(2);
        Document last = parse(AwsQueryXml.response("ListRolePolicies", IamActions.NAMESPACE, "r", x -> IamResults.listRolePolicies(
                ListRolePoliciesResponse.newBuilder().addPolicyNames("a").build(), x)));
        assertThat(text(last, "IsTruncated")).isEqualTo("false");
        assertThat(last.getElementsByTagNameNS("*", "Marker").getLength()).isZero();
    }

    @Test
    void actionsWithoutAResultAnswerOnlyResponseMetadata() throws Exception {
        Document d = parse(AwsQueryXml.response("DeleteRole", IamActions.NAMESPACE, "r-9", null));
        assertThat(d.getDocumentElement().getTagName()).isEqualTo("DeleteRoleResponse");
        assertThat(d.getDocumentElement().getChildNodes().getLength()).isEqualTo(1);
        assertThat(text(d, "RequestId")).isEqualTo("r-9");
    }

    @Test
    void simulationResultsUseIamDecisionAndSourceTypeNames() throws Exception {
        SimulatePrincipalPolicyResponse r = SimulatePrincipalPolicyResponse.newBuilder()
                .addEvaluationResults(EvaluationResult.newBuilder().setEvalActionName("s3:GetObject")
                        .setEvalResourceName("*").setEvalDecision(Decision.DECISION_ALLOW)
                        .addMatchedStatements(StatementRef.newBuilder()
                                .setSourcePolicyId("arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess")
                                .setSourcePolicyType("IDENTITY").setEffect("Allow")))
                .addEvaluationResults(EvaluationResult.newBuilder().setEvalActionName("s3:PutObject")
                        .setEvalResourceName("*").setEvalDecision(Decision.DECISION_IMPLICIT_DENY)
                        .addMissingContextValues("aws:SourceIp"))
                .build();
        Document d = parse(AwsQueryXml.response("SimulatePrincipalPolicy", IamActions.NAMESPACE, "r",
                x -> IamResults.simulatePrincipalPolicy(r, x)));
        var decisions = d.getElementsByTagNameNS("*", "EvalDecision");
        assertThat(decisions.item(0).getTextContent()).isEqualTo("allowed");
        assertThat(decisions.item(1).getTextContent()).isEqualTo("implicitDeny");
        assertThat(text(d, "SourcePolicyType")).isEqualTo("aws-managed");
        assertThat(IamResults.sourcePolicyType(StatementRef.newBuilder().setSourcePolicyId("inline:r/p").build()))
                .isEqualTo("role");
        assertThat(IamResults.sourcePolicyType(StatementRef.newBuilder()
                .setSourcePolicyId("boundary:arn:aws:iam::000000000000:policy/b").build())).isEqualTo("user-managed");
        assertThat(IamResults.sourcePolicyType(StatementRef.newBuilder().setSourcePolicyId("PolicyInputList.1").build()))
                .isEqualTo("none");
        assertThat(IamResults.decision(Decision.DECISION_EXPLICIT_DENY)).isEqualTo("explicitDeny");
    }

    private static Document parse(String xml) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        return f.newDocumentBuilder().parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
    }

    private static String text(Document d, String name) {
        return d.getElementsByTagNameNS("*", name).item(0).getTextContent();
    }
}
