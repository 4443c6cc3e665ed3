package dev.sts.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Bad input: more than 10,000 generated and mutated policy documents, each parsed as every
 * policy type, and the survivors evaluated against random (often hostile) requests. The only
 * exception allowed out is {@link MalformedPolicyException}; the whole run has a hard time limit.
 */
class FuzzTest {

    private static final PolicyType[] TYPES = PolicyType.values();
    private static final String[] JUNK = {"{", "}", "[", "]", "\"", ",", ":", "*", "?", "$", "${", "}", "\\", "\\u0000",
        "\\ud800", "null", "true", "1e999", "-0", "0.00000001", "\u00e9", "\uD83D\uDE00", "\u0000", " ", "\n",
        "\"Statement\"", "\"Effect\"", "\"Allow\"", "\"Deny\"", "\"Action\"", "\"NotAction\"", "\"Resource\"",
        "\"Principal\"", "\"NotPrincipal\"", "\"Condition\"", "\"ForAllValues:StringLike\"", "\"IpAddress\"",
        "\"arn:aws:s3:::*\"", "\"*a*a*a*a*a*a*a*a*b\"", "{\"AWS\":\"*\"}", "[[[[[[[[", "]]]]]]]]", "\"${aws:username, '\""};

    private int documents;
    private int valid;
    private int evaluations;

    @Test
    void onlyTheValidationErrorComesOutAndNothingHangs() {
        assertTimeoutPreemptively(Duration.ofSeconds(45), () -> {
            PolicyGen gen = new PolicyGen(20240601);
            Random rnd = gen.random();
            List<String> seeds = new ArrayList<>();
            for (int i = 0; i < 4_000; i++) {
                String doc = gen.policy(gen.pick(TYPES), 4);
                seeds.add(doc);
                check(doc, gen);                       // generated
                check(mutate(doc, rnd), gen);          // mutated once
            }
            for (int i = 0; i < 3_000; i++) {
                String doc = seeds.get(rnd.nextInt(seeds.size()));
                int rounds = 1 + rnd.nextInt(6);
                for (int k = 0; k < rounds; k++) {
                    doc = mutate(doc, rnd);
                }
                check(doc, gen);                       // mutated repeatedly
            }
            for (int i = 0; i < 1_000; i++) {
                check(randomJson(rnd, 0), gen);        // arbitrary JSON
            }
        });
        assertThat(documents).isGreaterThanOrEqualTo(12_000);
        assertThat(valid).as("enough documents survive validation to exercise evaluation").isGreaterThan(3_000);
        assertThat(evaluations).isGreaterThan(3_000);
    }

    private void check(String doc, PolicyGen gen) {
        documents++;
        for (PolicyType type : TYPES) {
            Policy p;
            try {
                p = Policy.parse(doc, type);
            } catch (MalformedPolicyException e) {
                assertThat(e.code()).isIn("MalformedPolicyDocument", "LimitExceeded");
                assertThat(e.getMessage()).doesNotContain("com.fasterxml").isNotBlank();
                continue;
            } catch (Throwable t) {
                throw new AssertionError("parse as " + type + " threw " + t + " for: " + doc, t);
            }
            valid++;
            try {
                evaluate(p, gen);
            } catch (Throwable t) {
                throw new AssertionError("evaluation threw " + t + " for " + type + ": " + doc, t);
            }
        }
    }

    private void evaluate(Policy p, PolicyGen gen) {
        Random rnd = gen.random();
        PolicyGen.Scenario s = gen.scenario();
        EvaluationRequest.Builder b = EvaluationRequest.builder()
                .kind(p.type() == PolicyType.TRUST ? RequestKind.ASSUME_ROLE : s.kind)
                .principal(rnd.nextInt(10) == 0 ? hostile(rnd) : s.caller)
                .action(rnd.nextInt(10) == 0 ? hostile(rnd) : s.action)
                .resource(rnd.nextInt(10) == 0 ? hostile(rnd) : s.resource)
                .resourceAccount(rnd.nextInt(10) == 0 ? null : s.resourceAccount);
        RequestContext.Builder ctx = RequestContext.builder();
        s.context.asMap().forEach((k, v) -> {
            if (rnd.nextInt(8) == 0) {
                ctx.put(k, hostile(rnd));
            } else if (s.context.isMultiValued(k)) {
                ctx.putMulti(k, v);
            } else {
                ctx.put(k, v.get(0));
            }
        });
        b.context(ctx.build());
        switch (p.type()) {
            case IDENTITY -> b.identityPolicy(p);
            case SESSION -> b.sessionPolicy(p);
            case BOUNDARY -> b.permissionsBoundary(p);
            case RESOURCE, TRUST -> b.resourcePolicy(p);
        }
        Decision d = PolicyEvaluator.iam().evaluate(b.build());
        assertThat(d.outcome()).isNotNull();
        d.trace().forEach(TraceEntry::detail);
        evaluations++;
    }

    private static String hostile(Random rnd) {
        return switch (rnd.nextInt(8)) {
            case 0 -> "";
            case 1 -> "a".repeat(rnd.nextInt(20_000));
            case 2 -> "arn:aws:s3:::" + "a".repeat(rnd.nextInt(5_000));
            case 3 -> "::::::::";
            case 4 -> "999.999.999.999";
            case 5 -> "ffff:::1/129";
            case 6 -> "${aws:username}";
            default -> "\u0000\uD800x*?";
        };
    }

    static String mutate(String doc, Random rnd) {
        if (doc.isEmpty()) {
            return JUNK[rnd.nextInt(JUNK.length)];
        }
        int i = rnd.nextInt(doc.length());
        int j = Math.min(doc.length(), i + 1 + rnd.nextInt(20));
        return switch (rnd.nextInt(9)) {
            case 0 -> doc.substring(0, i) + doc.substring(j);                                       // delete a span
            case 1 -> doc.substring(0, i) + JUNK[rnd.nextInt(JUNK.length)] + doc.substring(i);      // insert junk
            case 2 -> doc.substring(0, i) + JUNK[rnd.nextInt(JUNK.length)] + doc.substring(j);      // replace a span
            case 3 -> doc.substring(0, i);                                                          // truncate
            case 4 -> doc.substring(0, j) + doc.substring(i, j) + doc.substring(j);                 // duplicate a span
            case 5 -> doc.replace("\"Allow\"", rnd.nextBoolean() ? "\"allow\"" : "true");            // break a value
            case 6 -> doc.replaceFirst("\"(Action|Resource|Principal|Effect|Condition|Version)\"", "\"$1\":null,\"x$1\""); // rename
            case 7 -> doc.replace("\"*\"", "\"" + "*a".repeat(rnd.nextInt(40)) + "b\"");              // pathological patterns
            default -> {
                char[] cs = doc.toCharArray();
                cs[i] = (char) rnd.nextInt(0x80);
                yield new String(cs);                                                               // flip a char
            }
        };
    }

    static String randomJson(Random rnd, int depth) {
        int k = depth > 6 ? rnd.nextInt(4) : rnd.nextInt(7);
        return switch (k) {
            case 0 -> "\"" + (rnd.nextBoolean() ? "Statement" : "s" + rnd.nextInt(100)) + "\"";
            case 1 -> Integer.toString(rnd.nextInt());
            case 2 -> rnd.nextBoolean() ? "true" : "null";
            case 3 -> "\"" + PolicyGen.ACTION_PATTERNS[rnd.nextInt(PolicyGen.ACTION_PATTERNS.length)] + "\"";
            case 4, 5 -> {
                StringBuilder sb = new StringBuilder("{");
                int n = rnd.nextInt(4);
                String[] keys = {"Version", "Statement", "Effect", "Action", "Resource", "Principal", "Condition", "Sid", "Id", "StringLike", "AWS"};
                for (int i = 0; i < n; i++) {
                    sb.append(i == 0 ? "" : ",").append('"').append(keys[rnd.nextInt(keys.length)]).append("\":")
                            .append(randomJson(rnd, depth + 1));
                }
                yield sb.append('}').toString();
            }
            default -> {
                StringBuilder sb = new StringBuilder("[");
                int n = rnd.nextInt(4);
                for (int i = 0; i < n; i++) {
                    sb.append(i == 0 ? "" : ",").append(randomJson(rnd, depth + 1));
                }
                yield sb.append(']').toString();
            }
        };
    }
}
