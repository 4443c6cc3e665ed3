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
      const attributes = {};
      for (const [f, k] of [['access-key-id', 'access_key_id'], ['role-arn', 'role_arn'], ['outcome', 'outcome'],
        ['event-name', 'event_name'], ['principal-arn', 'principal_arn']]) {
        const v = flag(f);
        if (v) attributes[k] = v;
      }
      const token = credential('admin');
      return call(audit(), 'LookupEvents', { lookup_attributes: attributes }, token);
    }
    case 'jwks':
      return JSON.parse((await call(tokens(), 'GetJwks', {}, null)).jwks_json);
    default:
      throw new Error('usage: sts-client.mjs create-role|get-role|put-role-policy|attach-role-policy|list-policies|simulate|call|assume-role|whoami|lookup-events|jwks ... (see the header of this file)');
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
  (result) => console.log(JSON.stringify(plain(result), null, 2)),
  (err) => {
    const code = err.code !== undefined ? ` [gRPC ${grpc.status[err.code]}]` : '';
    console.error(`error: ${message(err)}${code}`);
    process.exit(1);
  });
