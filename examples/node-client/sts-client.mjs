#!/usr/bin/env node
// A small sts client in JavaScript. It knows the API only from the .proto files in ../../proto:
// no generated code, no Java. Credentials come from the bearer token files the local cluster
// writes (.sts/credentials/<name>.token) or from a session token.
//
//   node sts-client.mjs create-role ROLE_NAME TRUST_POLICY_FILE   [--as admin]
//   node sts-client.mjs get-role ROLE_NAME                        [--as admin]
//   node sts-client.mjs put-role-policy ROLE_NAME POLICY_NAME POLICY_FILE [--as admin]
//   node sts-client.mjs attach-role-policy ROLE_NAME POLICY_ARN   [--as admin]
//   node sts-client.mjs list-policies [--scope All|AWS|Local]     [--as admin]
//   node sts-client.mjs simulate ROLE_ARN ACTION... [--resource ARN] [--as admin]
//   node sts-client.mjs call role|token|audit METHOD JSON_REQUEST  [--as admin]   (any RPC of the contract)
//   node sts-client.mjs assume-role ROLE_ARN SESSION_NAME         [--as ec2]
//   node sts-client.mjs whoami                                    [--as NAME | --token SESSION_TOKEN]
//   node sts-client.mjs lookup-events [--access-key-id ID] [--role-arn ARN] [--outcome Success|Failure] [--event-name N]
//                                     [--principal-arn ARN] [--session-name N] [--error-code C] [--resource-arn ARN]
//   node sts-client.mjs export-events [--start ISO-8601] [--end ISO-8601] [same filters] [--cloudtrail]
//       one JSON line per record, oldest first; --cloudtrail: CloudTrail's record shape (eventTime,
//       userIdentity.sessionContext.attributes, requestID, eventID, resources[].ARN, ...)
//   node sts-client.mjs lineage (--session-id ID | --access-key-id ID) [--max-derived N]
//   node sts-client.mjs jwks
//
// Environment: STS_STATE_DIR (default ../../.sts), STS_ROLE_ADDR (127.0.0.1:8081),
// STS_TOKEN_ADDR (127.0.0.1:8082), STS_AUDIT_ADDR (127.0.0.1:8083).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import grpc from '@grpc/grpc-js';
import protoLoader from '@grpc/proto-loader';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '..', '..');
const protoRoot = path.join(repo, 'proto', 'src', 'main', 'proto');
const stateDir = process.env.STS_STATE_DIR || path.join(repo, '.sts');

const definition = protoLoader.loadSync(
  ['sts/v1/role_service.proto', 'sts/v1/token_service.proto', 'sts/v1/audit_service.proto'],
  { includeDirs: [protoRoot], keepCase: true, longs: String, enums: String, defaults: false, oneofs: true });
const sts = grpc.loadPackageDefinition(definition).sts.v1;

const args = process.argv.slice(2);
const flag = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  if (i < 0) return fallback;
  const value = args[i + 1];
  args.splice(i, 2);
  return value;
};

function credential(defaultName) {
  const token = flag('token');
  if (token) return token;
  const name = flag('as', defaultName);
  const file = path.join(stateDir, 'credentials', `${name}.token`);
  if (!fs.existsSync(file)) {
    throw new Error(`no credential file ${file}: is the local cluster up (./sts up)?`);
  }
  return fs.readFileSync(file, 'utf8').trim();
}

function client(Service, envName, fallback) {
  return new Service(process.env[envName] || fallback, grpc.credentials.createInsecure());
}

function call(stub, method, request, token) {
  const md = new grpc.Metadata();
  if (token) md.set('authorization', `Bearer ${token}`);
  return new Promise((resolve, reject) => stub[method](request, md, (err, res) => (err ? reject(err) : resolve(res))));
}

const roles = () => client(sts.RoleService, 'STS_ROLE_ADDR', '127.0.0.1:8081');
const tokens = () => client(sts.TokenService, 'STS_TOKEN_ADDR', '127.0.0.1:8082');
const audit = () => client(sts.AuditService, 'STS_AUDIT_ADDR', '127.0.0.1:8083');

async function main() {
  const command = args.shift();
  switch (command) {
    case 'create-role': {
      const token = credential('admin');
      const [roleName, trustFile] = args;
      const res = await call(roles(), 'CreateRole', {
        role_name: roleName, assume_role_policy_document: fs.readFileSync(trustFile, 'utf8') }, token);
      return res.role;
    }
    case 'get-role': {
      const token = credential('admin');
      return (await call(roles(), 'GetRole', { role_name: args[0] }, token)).role;
    }
    case 'put-role-policy': {
      const token = credential('admin');
      const [roleName, policyName, file] = args;
      return call(roles(), 'PutRolePolicy', {
        role_name: roleName, policy_name: policyName, policy_document: fs.readFileSync(file, 'utf8') }, token);
    }
    case 'attach-role-policy': {
      const token = credential('admin');
      const [roleName, policyArn] = args;
      return call(roles(), 'AttachRolePolicy', { role_name: roleName, policy_arn: policyArn }, token);
    }
    case 'list-policies': {
      const scope = flag('scope');
      const token = credential('admin');
      const res = await call(roles(), 'ListPolicies', scope ? { scope } : {}, token);
      return res.policies.map((p) => p.arn);
    }
    case 'simulate': {
      const resource = flag('resource');
      const token = credential('admin');
      const [roleArn, ...actions] = args;
      const res = await call(roles(), 'SimulatePrincipalPolicy', {
        policy_source_arn: roleArn, action_names: actions, resource_arns: resource ? [resource] : [] }, token);
      return res.evaluation_results.map((r) => ({
        action: r.eval_action_name, resource: r.eval_resource_name, decision: r.eval_decision,
        matched: (r.matched_statements || []).map((m) => `${m.source_policy_id} ${m.statement_id} (${m.effect})`),
        missing_context_values: r.missing_context_values || [] }));
    }
    case 'call': {
      const token = credential('admin');
      const [service, method, json] = args;
      const stub = { role: roles, token: tokens, audit }[service];
      if (!stub) throw new Error(`unknown service ${service}: role, token or audit`);
      return call(stub(), method, JSON.parse(json || '{}'), token);
    }
    case 'assume-role': {
      const token = credential('ec2');
      const [roleArn, sessionName] = args;
      return call(tokens(), 'AssumeRole', { role_arn: roleArn, role_session_name: sessionName }, token);
    }
    case 'whoami': {
      const token = credential('admin');
      return call(tokens(), 'GetCallerIdentity', {}, token);
    }
    case 'lookup-events': {
      const attributes = lookupAttributes();
      const token = credential('admin');
      return call(audit(), 'LookupEvents', { lookup_attributes: attributes }, token);
    }
    case 'export-events': {
      const cloudTrail = args.includes('--cloudtrail');
      if (cloudTrail) args.splice(args.indexOf('--cloudtrail'), 1);
      const request = { lookup_attributes: lookupAttributes() };
      const start = flag('start');
      const end = flag('end');
      if (start) request.start_time = timestamp(start);
      if (end) request.end_time = timestamp(end);
      const token = credential('admin');
      await exportEvents(request, token, cloudTrail ? cloudTrailRecord : plain);
      return undefined;
    }
    case 'lineage': {
      const sessionId = flag('session-id');
      const accessKeyId = flag('access-key-id');
      const maxDerived = flag('max-derived');
      const token = credential('admin');
      const request = sessionId ? { session_id: sessionId } : { access_key_id: accessKeyId };
      if (maxDerived) request.max_derived = Number(maxDerived);
      const res = await call(audit(), 'GetSessionLineage', request, token);
      const hop = (h) => ({ session_id: h.session_id, role_arn: h.role_arn, session_name: h.session_name,
        issuer: h.issuer_principal_arn || h.record?.user_identity?.principal_id, chain_depth: h.chain_depth,
        via: h.event_name, access_key_id: h.access_key_id, event_id: h.event_id });
      return { origin: res.origin, complete: res.complete, back: (res.hops || []).map(hop),
        derived: (res.derived || []).map(hop), derived_truncated: res.derived_truncated };
    }
    case 'jwks':
      return JSON.parse((await call(tokens(), 'GetJwks', {}, null)).jwks_json);
    default:
      throw new Error('usage: sts-client.mjs create-role|get-role|put-role-policy|attach-role-policy|list-policies|simulate|call|assume-role|whoami|lookup-events|export-events|lineage|jwks ... (see the header of this file)');
  }
}

function lookupAttributes() {
  const attributes = {};
  for (const [f, k] of [['access-key-id', 'access_key_id'], ['role-arn', 'role_arn'], ['outcome', 'outcome'],
    ['event-name', 'event_name'], ['principal-arn', 'principal_arn'], ['session-id', 'session_id'],
    ['source-identity', 'source_identity'], ['session-name', 'session_name'], ['error-code', 'error_code'],
    ['resource-arn', 'resource_arn']]) {
    const v = flag(f);
    if (v) attributes[k] = v;
  }
  return attributes;
}

function timestamp(iso) {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) throw new Error(`not an ISO-8601 time: ${iso}`);
  return { seconds: String(Math.floor(ms / 1000)), nanos: (ms % 1000) * 1e6 };
}

// google.protobuf.Timestamp -> CloudTrail's eventTime, e.g. 2024-05-01T12:00:00Z (whole seconds).
function isoSeconds(t) {
  if (!t) return undefined;
  return new Date(Number(t.seconds) * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

// One AuditRecord in the shape of a CloudTrail record ("CloudTrail record contents", CloudTrail
// User Guide): the same names and nesting, so tools that read CloudTrail logs read these lines.
function cloudTrailRecord(r) {
  const u = r.user_identity || {};
  const identity = { type: u.type, principalId: u.principal_id, arn: u.arn, accountId: u.account_id,
    accessKeyId: u.access_key_id || undefined };
  if (u.session_context) {
    const s = u.session_context;
    const issuer = s.session_issuer || {};
    identity.sessionContext = {
      sessionIssuer: { type: issuer.type, principalId: issuer.principal_id, arn: issuer.arn,
        accountId: issuer.account_id, userName: issuer.user_name },
      attributes: { creationDate: isoSeconds(s.creation_date), mfaAuthenticated: String(Boolean(s.mfa_authenticated)) },
      sourceIdentity: s.source_identity || undefined,
    };
  }
  return {
    eventVersion: r.event_version,
    userIdentity: identity,
    eventTime: isoSeconds(r.event_time),
    eventSource: r.event_source,
    eventName: r.event_name,
    sourceIPAddress: r.source_ip_address,
    userAgent: r.user_agent,
    errorCode: r.error_code || undefined,
    errorMessage: r.error_message || undefined,
    requestParameters: r.request_parameters ? plain(r.request_parameters) : null,
    responseElements: r.response_elements ? plain(r.response_elements) : null,
    requestID: r.request_id,
    eventID: r.event_id,
    readOnly: false,
    resources: (r.resources || []).map((x) => ({ ARN: x.arn, accountId: x.account_id, type: x.type })),
    eventType: 'AwsApiCall',
    managementEvent: true,
    recipientAccountId: r.recipient_account_id,
    eventCategory: 'Management',
  };
}

// Streams ExportEvents to stdout, one JSON line per record. Backpressure end to end: the loop
// waits for stdout to drain, the gRPC stream then stops reading, HTTP/2 stops granting window,
// and the server stops reading the database.
async function exportEvents(request, token, shape) {
  const md = new grpc.Metadata();
  md.set('authorization', `Bearer ${token}`);
  const stream = audit().ExportEvents(request, md);
  for await (const response of stream) {
    if (!process.stdout.write(`${JSON.stringify(shape(response.event))}\n`)) {
      await new Promise((resolve) => process.stdout.once('drain', resolve));
    }
  }
}

// google.protobuf.Struct / Value as plain JSON, as CloudTrail shows requestParameters.
function plain(v) {
  if (Array.isArray(v)) return v.map(plain);
  if (v === null || typeof v !== 'object') return v;
  if ('kind' in v && typeof v.kind === 'string' && v.kind.endsWith('Value')) {
    const inner = v[v.kind];
    if (v.kind === 'structValue') return plain(inner);
    if (v.kind === 'listValue') return (inner.values || []).map(plain);
    if (v.kind === 'nullValue') return null;
    return inner;
  }
  if ('fields' in v && Object.keys(v).length === 1) {
    return Object.fromEntries(Object.entries(v.fields).map(([k, x]) => [k, plain(x)]));
  }
  return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, plain(x)]));
}

function message(err) {
  const text = err.details || err.message;
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

main().then(
  (result) => {
    if (result !== undefined) console.log(JSON.stringify(plain(result), null, 2));
  },
  (err) => {
    const code = err.code !== undefined ? ` [gRPC ${grpc.status[err.code]}]` : '';
    console.error(`error: ${message(err)}${code}`);
    process.exit(1);
  });
